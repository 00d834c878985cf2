#include "rtc/dtls/certificate.hpp"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <sys/stat.h>

namespace switchboard::rtc {

namespace {

std::string openssl_error(const char* what) {
    return std::string(what) + " failed";
}

/// Writes `text` to `path` atomically (temporary file, then rename) with `mode`.
Result<void> write_atomically(const std::filesystem::path& path, const std::string& text, mode_t mode) {
    const auto tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out) return Error::runtime("cannot write " + tmp);
    }
    ::chmod(tmp.c_str(), mode);
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) return Error::runtime("cannot rename " + tmp + " to " + path.string() + ": " + ec.message());
    return {};
}

std::string pem_of(int (*write)(BIO*, void*), void* object) {
    BIO* bio = BIO_new(BIO_s_mem());
    std::string out;
    if (bio && write(bio, object) == 1) {
        char* data = nullptr;
        long n = BIO_get_mem_data(bio, &data);
        out.assign(data, std::size_t(n));
    }
    BIO_free(bio);
    return out;
}

}  // namespace

std::optional<sdp::Fingerprint> fingerprint_of(X509* cert, std::string_view algorithm) {
    // a=fingerprint names hashes as in RFC 8122 ("sha-256"); OpenSSL as "sha256".
    std::string name;
    for (char c : algorithm)
        if (c != '-') name += char(std::tolower(static_cast<unsigned char>(c)));
    const EVP_MD* md = EVP_get_digestbyname(name.c_str());
    if (!md || (name != "sha1" && name != "sha224" && name != "sha256" && name != "sha384" && name != "sha512"))
        return std::nullopt;
    sdp::Fingerprint f;
    f.algorithm = std::string(algorithm);
    for (auto& c : f.algorithm) c = char(std::tolower(static_cast<unsigned char>(c)));
    f.bytes.resize(EVP_MAX_MD_SIZE);
    unsigned int n = 0;
    if (X509_digest(cert, md, f.bytes.data(), &n) != 1) return std::nullopt;
    f.bytes.resize(n);
    return f;
}

Certificate::Certificate(X509* cert, EVP_PKEY* key)
    : m_cert(cert), m_key(key), m_fingerprint(*fingerprint_of(cert, "sha-256")) {}

Certificate::~Certificate() {
    X509_free(m_cert);
    EVP_PKEY_free(m_key);
}

Result<std::shared_ptr<const Certificate>> Certificate::generate() {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    if (!key) return Error::runtime(openssl_error("generating a P-256 key"));
    X509* cert = X509_new();
    if (!cert) {
        EVP_PKEY_free(key);
        return Error::runtime(openssl_error("X509_new"));
    }
    // A random serial and a short validity: the fingerprint, not the CA, is what counts.
    std::uint64_t serial = 0;
    RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof serial);
    ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert), serial >> 1);
    X509_set_version(cert, 2);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 30L * 24 * 3600);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("switchboard"), -1, -1,
                               0);
    X509_set_issuer_name(cert, name);
    X509_set_pubkey(cert, key);
    if (X509_sign(cert, key, EVP_sha256()) == 0) {
        X509_free(cert);
        EVP_PKEY_free(key);
        return Error::runtime(openssl_error("signing the certificate"));
    }
    return std::shared_ptr<const Certificate>(std::make_shared<Certificate>(cert, key));
}

Result<std::shared_ptr<const Certificate>> Certificate::load_or_create(const std::filesystem::path& dir) {
    const auto cert_path = dir / "certificate.pem";
    const auto key_path = dir / "key.pem";
    if (FILE* cf = std::fopen(cert_path.c_str(), "r")) {
        X509* cert = PEM_read_X509(cf, nullptr, nullptr, nullptr);
        std::fclose(cf);
        EVP_PKEY* key = nullptr;
        if (FILE* kf = std::fopen(key_path.c_str(), "r")) {
            key = PEM_read_PrivateKey(kf, nullptr, nullptr, nullptr);
            std::fclose(kf);
        }
        // Keep it while it is valid for at least another day and matches its key.
        if (cert && key && X509_check_private_key(cert, key) == 1 &&
            X509_cmp_time(X509_get0_notAfter(cert), nullptr) > 0) {
            ASN1_TIME* tomorrow = X509_time_adj_ex(nullptr, 1, 0, nullptr);
            bool fresh = X509_cmp_time(X509_get0_notAfter(cert), nullptr) > 0 &&
                         ASN1_TIME_compare(X509_get0_notAfter(cert), tomorrow) > 0;
            ASN1_TIME_free(tomorrow);
            if (fresh) return std::shared_ptr<const Certificate>(std::make_shared<Certificate>(cert, key));
        }
        X509_free(cert);
        EVP_PKEY_free(key);
    }
    auto made = generate();
    if (!made) return made;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Error::runtime("cannot create " + dir.string() + ": " + ec.message());
    auto key_pem = pem_of(
        [](BIO* b, void* k) {
            return PEM_write_bio_PrivateKey(b, static_cast<EVP_PKEY*>(k), nullptr, nullptr, 0, nullptr, nullptr);
        },
        made.value()->key());
    auto cert_pem =
        pem_of([](BIO* b, void* c) { return PEM_write_bio_X509(b, static_cast<X509*>(c)); }, made.value()->x509());
    if (auto r = write_atomically(key_path, key_pem, 0600); !r) return r.error();
    if (auto r = write_atomically(cert_path, cert_pem, 0644); !r) return r.error();
    return made;
}

}  // namespace switchboard::rtc
