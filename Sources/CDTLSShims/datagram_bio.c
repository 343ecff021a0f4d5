// The datagram BIO declared in CDTLSShims.h: a FIFO of whole datagrams behind BIO_write/BIO_read.
//
// Why not a memory BIO: BIO_s_mem runs all writes together, so the driver cannot tell where one
// datagram ends and the next begins (OpenSSL sizes each write, a packed flight or one record, to
// fit the MTU), and on the read side two queued datagrams would reach OpenSSL as one. OpenSSL 3.0
// has no BIO_s_dgram_mem (that came in 3.2).
//
// Why it also watches the DTLS timer: OpenSSL times DTLS retransmissions with gettimeofday() and
// offers no way to pass time in. On every timer start and stop it tells the read BIO where it
// keeps its deadline: BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT with a pointer to the SSL's own struct
// timeval (OpenSSL 1.1.1 to 3.1; the pointer stays valid as long as the SSL, which owns this BIO).
// Remembering that address lets the sans-IO caller expire the timer when its own clock says so.
// OpenSSL 3.2 and later pass a pointer to a temporary copy instead, so there the address is never
// kept and expiry reports itself unsupported (the caller then follows OpenSSL's wall clock).
#include "CDTLSShims.h"
#include <string.h>
#include <openssl/crypto.h>

typedef struct tapedeck_datagram {
    struct tapedeck_datagram *next;
    size_t length;
    unsigned char bytes[];
} tapedeck_datagram;

typedef struct {
    tapedeck_datagram *head;
    tapedeck_datagram *tail;
    size_t queued_bytes;
    struct timeval *dtls_deadline;
    unsigned long dtls_timer_starts;
} tapedeck_datagram_queue;

int tapedeck_datagram_bio_supports_dtls_timer_expiry(void) {
#if OPENSSL_VERSION_NUMBER >= 0x10101000L && OPENSSL_VERSION_NUMBER < 0x30200000L
    unsigned long runtime = OpenSSL_version_num();
    return runtime >= 0x10101000UL && runtime < 0x30200000UL;
#else
    return 0;
#endif
}

static void queue_clear(tapedeck_datagram_queue *queue) {
    tapedeck_datagram *datagram = queue->head;
    while (datagram != NULL) {
        tapedeck_datagram *next = datagram->next;
        OPENSSL_free(datagram);
        datagram = next;
    }
    queue->head = NULL;
    queue->tail = NULL;
    queue->queued_bytes = 0;
}

static int datagram_bio_create(BIO *bio) {
    tapedeck_datagram_queue *queue = OPENSSL_zalloc(sizeof(*queue));
    if (queue == NULL) return 0;
    BIO_set_data(bio, queue);
    BIO_set_init(bio, 1);
    return 1;
}

static int datagram_bio_destroy(BIO *bio) {
    if (bio == NULL) return 0;
    tapedeck_datagram_queue *queue = BIO_get_data(bio);
    if (queue != NULL) {
        queue_clear(queue);
        OPENSSL_free(queue);
    }
    BIO_set_data(bio, NULL);
    BIO_set_init(bio, 0);
    return 1;
}

static int datagram_bio_write(BIO *bio, const char *data, int length) {
    BIO_clear_retry_flags(bio);
    tapedeck_datagram_queue *queue = BIO_get_data(bio);
    if (queue == NULL || data == NULL || length <= 0) return 0;
    tapedeck_datagram *datagram = OPENSSL_malloc(sizeof(*datagram) + (size_t)length);
    if (datagram == NULL) return -1;
    datagram->next = NULL;
    datagram->length = (size_t)length;
    memcpy(datagram->bytes, data, (size_t)length);
    if (queue->tail != NULL) queue->tail->next = datagram; else queue->head = datagram;
    queue->tail = datagram;
    queue->queued_bytes += (size_t)length;
    return length;
}

static int datagram_bio_read(BIO *bio, char *out, int capacity) {
    BIO_clear_retry_flags(bio);
    tapedeck_datagram_queue *queue = BIO_get_data(bio);
    if (queue == NULL || out == NULL || capacity <= 0) return 0;
    tapedeck_datagram *datagram = queue->head;
    if (datagram == NULL) {
        BIO_set_retry_read(bio);
        return -1;
    }
    queue->head = datagram->next;
    if (queue->head == NULL) queue->tail = NULL;
    queue->queued_bytes -= datagram->length;
    size_t copied = datagram->length < (size_t)capacity ? datagram->length : (size_t)capacity;
    memcpy(out, datagram->bytes, copied);
    OPENSSL_free(datagram);
    return (int)copied;
}

static long datagram_bio_ctrl(BIO *bio, int command, long number, void *pointer) {
    (void)number;
    tapedeck_datagram_queue *queue = BIO_get_data(bio);
    if (queue == NULL) return 0;
    switch (command) {
    case BIO_CTRL_PENDING:
        return (long)queue->queued_bytes;
    case BIO_CTRL_WPENDING:
        // Each write is already a whole datagram; nothing waits to be packed into the next one,
        // so OpenSSL sizes every record against the full MTU.
        return 0;
    case BIO_CTRL_FLUSH:
        return 1;
    case BIO_CTRL_RESET:
        queue_clear(queue);
        return 1;
    case BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT: {
        struct timeval *deadline = pointer;
        if (deadline == NULL) return 0;
        if (deadline->tv_sec != 0 || deadline->tv_usec != 0) queue->dtls_timer_starts += 1;
        if (tapedeck_datagram_bio_supports_dtls_timer_expiry()) queue->dtls_deadline = deadline;
        return 1;
    }
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
        // The MTU given to SSL_set_mtu is already the UDP payload budget.
        return 0;
    default:
        // Includes BIO_CTRL_DGRAM_QUERY_MTU (unused: SSL_OP_NO_QUERY_MTU) and
        // BIO_CTRL_DGRAM_MTU_EXCEEDED (a queue never refuses a datagram).
        return 0;
    }
}

static CRYPTO_ONCE datagram_bio_once = CRYPTO_ONCE_STATIC_INIT;
static BIO_METHOD *datagram_bio_method = NULL;

static void datagram_bio_method_init(void) {
    BIO_METHOD *method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tapedeck datagram queue");
    if (method == NULL) return;
    if (!BIO_meth_set_create(method, datagram_bio_create) || !BIO_meth_set_destroy(method, datagram_bio_destroy)
        || !BIO_meth_set_write(method, datagram_bio_write) || !BIO_meth_set_read(method, datagram_bio_read)
        || !BIO_meth_set_ctrl(method, datagram_bio_ctrl)) {
        BIO_meth_free(method);
        return;
    }
    datagram_bio_method = method;
}

BIO *tapedeck_datagram_bio_new(void) {
    if (!CRYPTO_THREAD_run_once(&datagram_bio_once, datagram_bio_method_init) || datagram_bio_method == NULL) {
        return NULL;
    }
    return BIO_new(datagram_bio_method);
}

size_t tapedeck_datagram_bio_next_datagram_size(BIO *bio) {
    tapedeck_datagram_queue *queue = bio != NULL ? BIO_get_data(bio) : NULL;
    return queue != NULL && queue->head != NULL ? queue->head->length : 0;
}

unsigned long tapedeck_datagram_bio_dtls_timer_starts(BIO *bio) {
    tapedeck_datagram_queue *queue = bio != NULL ? BIO_get_data(bio) : NULL;
    return queue != NULL ? queue->dtls_timer_starts : 0;
}

int tapedeck_datagram_bio_expire_dtls_timer(BIO *bio) {
    tapedeck_datagram_queue *queue = bio != NULL ? BIO_get_data(bio) : NULL;
    if (queue == NULL || queue->dtls_deadline == NULL) return 0;
    struct timeval *deadline = queue->dtls_deadline;
    if (deadline->tv_sec == 0 && deadline->tv_usec == 0) return 0;  // no timer running
    // Any instant in the past that is not all-zero (all-zero means "no timer") reads as expired.
    deadline->tv_sec = 1;
    deadline->tv_usec = 0;
    return 1;
}

