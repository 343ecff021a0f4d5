#if canImport(Glibc)
import Glibc
#endif

/// The bytes of a capture as `PcapngReader` reads them: a file mapped into memory, so a render of
/// an hour-long call reads its captures through the page cache instead of holding them whole
/// (a render replays every capture of a room at once), or bytes already in memory.
///
/// `@unchecked Sendable`: the bytes never change once made, and are freed only with the last
/// reference.
public final class CaptureBytes: @unchecked Sendable {
    public let buffer: UnsafeRawBufferPointer
    private let release: (UnsafeRawBufferPointer) -> Void
    private let isMapped: Bool

    /// A copy of `bytes`.
    public init(_ bytes: [UInt8]) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { copy.baseAddress!.copyMemory(from: base, byteCount: source.count) }
        }
        buffer = UnsafeRawBufferPointer(start: copy.baseAddress, count: bytes.count)
        release = { _ in copy.deallocate() }
        isMapped = false
    }

    /// The file at `path`, mapped read-only. A file that grows afterwards (a capture still being
    /// written) is read as it was when mapped.
    public init(mapping path: String) throws(CaptureFileError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CaptureFileError(path: path, errno: errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw CaptureFileError(path: path, errno: errno) }
        let size = Int(status.st_size)
        guard size > 0 else {
            buffer = UnsafeRawBufferPointer(start: nil, count: 0)
            release = { _ in }
            isMapped = false
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw CaptureFileError(path: path, errno: errno)
        }
        // Read once, front to back.
        _ = madvise(address, size, MADV_SEQUENTIAL)
        buffer = UnsafeRawBufferPointer(start: address, count: size)
        release = { mapped in _ = munmap(UnsafeMutableRawPointer(mutating: mapped.baseAddress), mapped.count) }
        isMapped = true
    }

    /// The bytes before `offset` will not be read again: a mapped file's pages there are let go,
    /// so what a long render holds is what it reads now, not what it has read.
    func discard(upTo offset: Int) {
        guard isMapped, let base = buffer.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = min(offset, buffer.count) / page * page
        guard length > 0 else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base), length, MADV_DONTNEED)
    }

    deinit {
        release(buffer)
    }
}

/// A capture file that cannot be opened or mapped.
public struct CaptureFileError: Error, CustomStringConvertible {
    public var path: String
    public var errno: Int32

    public var description: String { "cannot read \(path): \(String(cString: strerror(errno)))" }
}
