#define _GNU_SOURCE
#include "CDatagramBatch.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct tapedeck_datagram_batch {
    unsigned capacity;
    size_t slot_size;
    uint8_t *slots;
    struct iovec *iovecs;
    struct mmsghdr *messages;
    struct sockaddr_storage *sources;
};

tapedeck_datagram_batch *tapedeck_datagram_batch_create(unsigned capacity, size_t slot_size) {
    tapedeck_datagram_batch *batch = calloc(1, sizeof(*batch));
    if (batch == NULL) return NULL;
    batch->capacity = capacity;
    batch->slot_size = slot_size;
    batch->slots = malloc((size_t)capacity * slot_size);
    batch->iovecs = calloc(capacity, sizeof(struct iovec));
    batch->messages = calloc(capacity, sizeof(struct mmsghdr));
    batch->sources = calloc(capacity, sizeof(struct sockaddr_storage));
    if (batch->slots == NULL || batch->iovecs == NULL || batch->messages == NULL || batch->sources == NULL) {
        tapedeck_datagram_batch_destroy(batch);
        return NULL;
    }
    for (unsigned i = 0; i < capacity; i++) {
        batch->iovecs[i].iov_base = batch->slots + (size_t)i * slot_size;
        batch->iovecs[i].iov_len = slot_size;
        batch->messages[i].msg_hdr.msg_iov = &batch->iovecs[i];
        batch->messages[i].msg_hdr.msg_iovlen = 1;
        batch->messages[i].msg_hdr.msg_name = &batch->sources[i];
    }
    return batch;
}

void tapedeck_datagram_batch_destroy(tapedeck_datagram_batch *batch) {
    if (batch == NULL) return;
    free(batch->slots);
    free(batch->iovecs);
    free(batch->messages);
    free(batch->sources);
    free(batch);
}

int tapedeck_datagram_batch_read(tapedeck_datagram_batch *batch, int fd) {
    for (unsigned i = 0; i < batch->capacity; i++) {
        batch->messages[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_storage);
        batch->messages[i].msg_hdr.msg_flags = 0;
        batch->messages[i].msg_len = 0;
    }
    int count;
    do {
        count = recvmmsg(fd, batch->messages, batch->capacity, MSG_DONTWAIT, NULL);
    } while (count < 0 && errno == EINTR);
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
    return count;
}

uint8_t *tapedeck_datagram_batch_bytes(tapedeck_datagram_batch *batch, unsigned index, size_t *length, int *truncated) {
    *length = batch->messages[index].msg_len;
    *truncated = (batch->messages[index].msg_hdr.msg_flags & MSG_TRUNC) != 0;
    return batch->slots + (size_t)index * batch->slot_size;
}

int tapedeck_datagram_batch_source(const tapedeck_datagram_batch *batch, unsigned index,
                                   uint16_t *port_network_order, const uint8_t **address) {
    const struct sockaddr_storage *source = &batch->sources[index];
    if (source->ss_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)source;
        *port_network_order = v4->sin_port;
        *address = (const uint8_t *)&v4->sin_addr;
        return AF_INET;
    }
    if (source->ss_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)source;
        *port_network_order = v6->sin6_port;
        *address = (const uint8_t *)&v6->sin6_addr;
        return AF_INET6;
    }
    return 0;
}
