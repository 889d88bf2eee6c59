// SHA-256 from OpenSSL's libcrypto through the EVP interface (OpenSSL picks the fastest implementation the CPU has:
// SHA-NI, AVX2), loaded with dlopen on the first digest instead of at process start, as CCurl loads libcurl: a start
// that hashes nothing (--version, diff, report, gate) does not pay libcrypto's relocations (about 1.5 MB resident).
// The headers are OpenSSL's (libssl-dev at build time); the library is libcrypto.so.3, else libcrypto.so.1.1, or the
// one EVALGATE_LIBCRYPTO names.
#ifndef EVALGATE_CCRYPTO_H
#define EVALGATE_CCRYPTO_H

#include <openssl/evp.h>
#include <stddef.h>

/// Loads libcrypto once (thread-safe). NULL when it is ready, else why not, for the caller's error.
const char *evalgate_crypto_load(void);

/// A context ready for SHA-256 input, or NULL when OpenSSL cannot give one (not loaded, out of memory).
EVP_MD_CTX *evalgate_sha256_new(void);

int evalgate_sha256_update(EVP_MD_CTX *context, const void *bytes, size_t count);

/// A copy of `context` with the same input hashed so far, or NULL.
EVP_MD_CTX *evalgate_sha256_copy(const EVP_MD_CTX *context);

/// Writes the 32-byte digest to `digest` and ends `context`'s use for input; 1 on success.
int evalgate_sha256_final(EVP_MD_CTX *context, unsigned char *digest);

void evalgate_sha256_free(EVP_MD_CTX *context);

#endif
