/// How the drivers' UDP sockets read: in batches (one syscall for many datagrams), each slot
/// big enough for a whole datagram.
enum DatagramSocketTuning {
    static var datagramsPerRead: Int { 32 }
    static var maxDatagramSize: Int { 2_048 }
}
