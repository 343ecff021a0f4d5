#include "CDTLSShims.h"

int tapedeck_DTLSv1_get_timeout(SSL *ssl, struct timeval *timeout) { return (int)DTLSv1_get_timeout(ssl, timeout); }
int tapedeck_DTLSv1_handle_timeout(SSL *ssl) { return (int)DTLSv1_handle_timeout(ssl); }
long tapedeck_SSL_set_mtu(SSL *ssl, long mtu) { return SSL_set_mtu(ssl, mtu); }
long tapedeck_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
long tapedeck_SSL_set_options(SSL *ssl, long options) { return (long)SSL_set_options(ssl, (uint64_t)options); }
int tapedeck_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list) { return (int)SSL_CTX_set1_groups_list(ctx, list); }
long tapedeck_BIO_set_mem_eof_return(BIO *bio, long value) { return BIO_set_mem_eof_return(bio, value); }
long tapedeck_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) { return SSL_CTX_set_min_proto_version(ctx, version); }
