import Foundation

/// Starts the recorder's own threads (media, capture, render) under a name the system shows:
/// `top -H`, `perf` and `/proc/PID/task/*/comm` then tell which of them is busy. Foundation's
/// `Thread.name` does not reach the kernel on Linux (and `pthread_setname_np` is not imported),
/// so the thread writes its name to `/proc/thread-self/comm` itself; the kernel takes at most 15
/// bytes, checked here.
enum WorkerThread {
    static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        precondition(name.utf8.count <= 15, "thread names are at most 15 bytes on Linux: \(name)")
        let thread = Thread {
            #if os(Linux)
            let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
            if descriptor >= 0 {
                _ = name.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, name.utf8.count) }
                close(descriptor)
            }
            #endif
            body()
        }
        thread.name = name
        thread.start()
    }
}
