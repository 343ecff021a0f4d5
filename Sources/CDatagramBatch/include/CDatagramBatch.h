#ifndef C_DATAGRAM_BATCH_H
#define C_DATAGRAM_BATCH_H

#include <stddef.h>
#include <stdint.h>

/// Memory for reading a UDP socket's queued datagrams with one recvmmsg(2) call, reused for every
/// batch: slots of `slot_size` bytes, their iovecs, message headers and source addresses.
/// recvmmsg and struct mmsghdr are GNU extensions Swift's Glibc module does not import.
typedef struct tapedeck_datagram_batch tapedeck_datagram_batch;

/// NULL when out of memory.
tapedeck_datagram_batch *tapedeck_datagram_batch_create(unsigned capacity, size_t slot_size);
void tapedeck_datagram_batch_destroy(tapedeck_datagram_batch *batch);

/// Reads up to the batch's capacity without blocking. Returns how many datagrams were read; 0 when
/// none was queued; -1 on another error (errno says which; a UDP socket's pending ICMP report is
/// one, cleared by reporting it).
int tapedeck_datagram_batch_read(tapedeck_datagram_batch *batch, int fd);

/// Datagram `index` of the last read: its bytes (writable, valid until the next read), its length,
/// whether it was cut short for want of room, and its source address.
uint8_t *tapedeck_datagram_batch_bytes(tapedeck_datagram_batch *batch, unsigned index, size_t *length, int *truncated);

/// The source address of datagram `index`: the address family (AF_INET, AF_INET6), the port and
/// the address bytes (4 or 16), in network byte order. 0 when the family is neither.
int tapedeck_datagram_batch_source(const tapedeck_datagram_batch *batch, unsigned index,
                                   uint16_t *port_network_order, const uint8_t **address);

#endif
