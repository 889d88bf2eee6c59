// SHA-256 from OpenSSL's libcrypto (already loaded with libcurl), through the EVP interface: OpenSSL picks the
// fastest implementation the CPU has (SHA-NI, AVX2). Small forwarding wrappers keep the Swift side free of macros.
#ifndef EVALGATE_CCRYPTO_SHIM_H
#define EVALGATE_CCRYPTO_SHIM_H

#include <openssl/evp.h>
#include <stddef.h>

/// A context ready for SHA-256 input, or NULL when OpenSSL cannot give one (out of memory).
static inline EVP_MD_CTX *evalgate_sha256_new(void) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    if (context != NULL && EVP_DigestInit_ex(context, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(context);
        return NULL;
    }
    return context;
}

static inline int evalgate_sha256_update(EVP_MD_CTX *context, const void *bytes, size_t count) {
    return EVP_DigestUpdate(context, bytes, count);
}

/// A copy of `context` with the same input hashed so far, or NULL.
static inline EVP_MD_CTX *evalgate_sha256_copy(const EVP_MD_CTX *context) {
    EVP_MD_CTX *copy = EVP_MD_CTX_new();
    if (copy != NULL && EVP_MD_CTX_copy_ex(copy, context) != 1) {
        EVP_MD_CTX_free(copy);
        return NULL;
    }
    return copy;
}

/// Writes the 32-byte digest to `digest` and ends `context`'s use for input.
static inline int evalgate_sha256_final(EVP_MD_CTX *context, unsigned char *digest) {
    unsigned int length = 0;
    return EVP_DigestFinal_ex(context, digest, &length) == 1 && length == 32;
}

static inline void evalgate_sha256_free(EVP_MD_CTX *context) {
    EVP_MD_CTX_free(context);
}

#endif
