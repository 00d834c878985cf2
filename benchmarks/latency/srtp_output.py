"""Reading what a Switchboard call sent: the relay's copy of its SRTP, decrypted with the
keys the gateway wrote to /rtc/srtp_key_log (core/rtc/srtp/srtp_key_log.hpp:
`SRTP <connection> <profile> tx=<hex key||salt> rx=<hex key||salt>`; tx protects what the
gateway sends, so it is the key we unprotect with)."""
import pylibsrtp

PROFILES = {
    "SRTP_AES128_CM_SHA1_80": pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_80,
    "SRTP_AEAD_AES_128_GCM": pylibsrtp.Policy.SRTP_PROFILE_AEAD_AES_128_GCM,
}


def last_tx_key(path):
    """(pylibsrtp profile, key||salt) of the log's last well-formed line, or None."""
    found = None
    try:
        with open(path) as f:
            for line in f:
                field = line.split()
                if len(field) == 5 and field[0] == "SRTP" and field[2] in PROFILES and field[3].startswith("tx="):
                    found = (PROFILES[field[2]], bytes.fromhex(field[3][3:]))
    except FileNotFoundError:
        return None
    return found


def open_session(key_log):
    """A pylibsrtp session that unprotects what the gateway sent, or None without a key yet."""
    key = last_tx_key(key_log)
    if key is None:
        return None
    profile, material = key
    return pylibsrtp.Session(pylibsrtp.Policy(key=material, ssrc_type=pylibsrtp.Policy.SSRC_ANY_INBOUND,
                                              srtp_profile=profile))


def decrypt(recorded, key_log, is_rtp):
    """recorded: [(arrival_ns, datagram)] from the relay. Returns [(arrival_ns, plain RTP)]
    for every RTP packet that authenticates; the rest (STUN, DTLS, RTCP) is skipped."""
    session = open_session(key_log)
    if session is None:
        raise RuntimeError("no SRTP key in " + key_log)
    out = []
    for ns, data in recorded:
        if not is_rtp(data):
            continue
        try:
            out.append((ns, session.unprotect(data)))
        except pylibsrtp.Error:
            continue
    return out
