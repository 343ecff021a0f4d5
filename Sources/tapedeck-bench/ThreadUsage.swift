#if canImport(Glibc)
import Glibc
#endif

/// This thread's CPU time so far, user and system (getrusage RUSAGE_THREAD: Glibc's module leaves
/// the name out). System time is where the kernel's work for the thread shows: its reads, its
/// writes into the page cache.
struct ThreadUsage {
    var user: Double
    var system: Double

    var total: Double { user + system }

    static var now: ThreadUsage {
        var usage = rusage()
        getrusage(__rusage_who_t(1), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return ThreadUsage(user: seconds(usage.ru_utime), system: seconds(usage.ru_stime))
    }
}
