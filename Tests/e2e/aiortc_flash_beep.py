"""An aiortc participant whose video flashes exactly when its audio beeps, once a second: a
sender that is not ours, with a known audio/video alignment, for measuring lip sync.

Both tracks are generated from one shared clock: video frame n (30 fps, 320x240) has pts n/30 s,
audio frame m (20 ms, 48 kHz stereo) has pts m*960 samples, and each frame is handed to aiortc
when the shared clock reaches its pts. Every whole second the video is white for 100 ms (3
frames, black otherwise) and the audio is a 1 kHz tone for 100 ms (silence otherwise), so flash
and beep start at the same instant of the sender's clock.

aiortc's RTCP sender reports pair the RTP timestamp of the last packet sent with the wall clock
when it was sent, so each track's reports carry that track's encoding delay: kept small here
(320x240 black and white frames; Opus encodes 20 ms in well under a millisecond). aiortc's Opus
encoder (libopus) puts its 312-sample look-ahead (6.5 ms) in front of the audio, so the beep
decodes 6.5 ms after the RTP time of its first sample: every sender using libopus does so."""
import asyncio
import fractions
import math
import time

import numpy as np
from av import AudioFrame, VideoFrame
from aiortc.mediastreams import MediaStreamTrack

from aiortc_sender import arguments, send

FRAMES_PER_SECOND = 30
WIDTH, HEIGHT = 320, 240
FLASH_FRAMES = 3  # 100 ms at 30 fps
SAMPLE_RATE = 48_000
SAMPLES_PER_FRAME = 960  # 20 ms
BEEP_FRAMES = 5  # 100 ms
TONE_HERTZ = 1_000


class SharedClock:
    """The sender's media clock: time 0 is when the first track asked for its first frame."""

    def __init__(self):
        self._zero: float | None = None

    @property
    def zero(self) -> float:
        if self._zero is None:
            self._zero = time.time()
        return self._zero

    def first_index(self, rate: float) -> int:
        """The first frame (at `rate` frames a second) not yet due: a track that starts late
        joins the shared timeline where it stands, rather than starting its own at 0."""
        return math.ceil((time.time() - self.zero) * rate)

    async def wait_until(self, seconds: float):
        await asyncio.sleep(max(0.0, self.zero + seconds - time.time()))


def _picture(luma: int) -> np.ndarray:
    """A yuv420p frame of one grey level (Y plane, then U and V at 128), as PyAV takes it."""
    picture = np.full((HEIGHT * 3 // 2, WIDTH), 128, dtype=np.uint8)
    picture[:HEIGHT] = luma
    return picture


class FlashingVideoTrack(MediaStreamTrack):
    kind = "video"
    WHITE, BLACK = _picture(235), _picture(16)

    def __init__(self, clock: SharedClock):
        super().__init__()
        self.clock, self.index = clock, None

    async def recv(self) -> VideoFrame:
        self.index = self.clock.first_index(FRAMES_PER_SECOND) if self.index is None else self.index + 1
        await self.clock.wait_until(self.index / FRAMES_PER_SECOND)
        flashing = self.index % FRAMES_PER_SECOND < FLASH_FRAMES
        frame = VideoFrame.from_ndarray(self.WHITE if flashing else self.BLACK, format="yuv420p")
        frame.pts, frame.time_base = self.index, fractions.Fraction(1, FRAMES_PER_SECOND)
        return frame


def _samples(tone: bool) -> np.ndarray:
    """One 20 ms stereo s16 frame, packed. A 1 kHz period is 48 samples and a frame 960, so every
    beep frame starts at the same phase."""
    t = np.arange(SAMPLES_PER_FRAME) / SAMPLE_RATE
    mono = (0.5 * 32767 * np.sin(2 * np.pi * TONE_HERTZ * t)).astype(np.int16) if tone \
        else np.zeros(SAMPLES_PER_FRAME, dtype=np.int16)
    return np.repeat(mono, 2).reshape(1, -1)


class BeepingAudioTrack(MediaStreamTrack):
    kind = "audio"
    FRAMES_PER_SECOND = SAMPLE_RATE // SAMPLES_PER_FRAME
    TONE, SILENCE = _samples(True), _samples(False)

    def __init__(self, clock: SharedClock):
        super().__init__()
        self.clock, self.index = clock, None

    async def recv(self) -> AudioFrame:
        self.index = self.clock.first_index(self.FRAMES_PER_SECOND) if self.index is None else self.index + 1
        await self.clock.wait_until(self.index * SAMPLES_PER_FRAME / SAMPLE_RATE)
        beeping = self.index % self.FRAMES_PER_SECOND < BEEP_FRAMES
        frame = AudioFrame.from_ndarray(self.TONE if beeping else self.SILENCE, format="s16", layout="stereo")
        frame.sample_rate = SAMPLE_RATE
        frame.pts, frame.time_base = self.index * SAMPLES_PER_FRAME, fractions.Fraction(1, SAMPLE_RATE)
        return frame


if __name__ == "__main__":
    options = arguments(__doc__.splitlines()[0])
    clock = SharedClock()
    asyncio.run(send(options.signaling, options.room, options.seconds,
                     [BeepingAudioTrack(clock), FlashingVideoTrack(clock)]))
