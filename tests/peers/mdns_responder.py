#!/usr/bin/python3
"""A real mDNS responder announcing Chromecasts (_googlecast._tcp.local.), for the
discovery tests. python3-zeroconf (Debian's) does the protocol: probing, answering
multicast and one-shot (unicast) queries, additional records, goodbyes.

Run it only inside a network namespace made for the test: it binds UDP 5353 and
answers on the interface of --address.

usage: mdns_responder.py --address 127.0.0.1
           --device '{"fn": "Living Room TV", "id": "1a2b", "md": "Chromecast", "port": 8009}' ...
           [--no-additionals] [--ready-file PATH]

Prints one JSON line {"ready": true, "instances": [...]} once every device is
registered (also written to --ready-file, renamed into place, for a test to poll),
then runs until SIGTERM/SIGINT (it unregisters, sending goodbyes) or --timeout
seconds.
"""
import argparse
import json
import os
import signal
import socket
import sys
import threading

import zeroconf
import zeroconf._handlers as handlers

SERVICE = "_googlecast._tcp.local."


def answers_only(out, answers):
    """Stands in for zeroconf's answer writer, leaving the additional records out (RFC
    6763 §12 makes them optional): the querier must ask for SRV, TXT and A itself."""
    for answer in sorted(answers, key=lambda r: r.name):
        out.add_answer_at_time(answer, 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--device", action="append", default=[], help="JSON: fn, id, md, port")
    parser.add_argument("--no-additionals", action="store_true")
    parser.add_argument("--ready-file", help="also write the ready line here")
    parser.add_argument("--timeout", type=float, default=120.0, help="exit after this many seconds")
    args = parser.parse_args()
    if args.no_additionals:
        handlers._add_answers_additionals = answers_only

    zc = zeroconf.Zeroconf(interfaces=[args.address], ip_version=zeroconf.IPVersion.V4Only)
    infos = []
    for text in args.device:
        device = json.loads(text)
        info = zeroconf.ServiceInfo(
            SERVICE,
            "Chromecast-%s.%s" % (device["id"], SERVICE),
            addresses=[socket.inet_aton(args.address)],
            port=int(device.get("port", 8009)),
            properties={"id": device["id"], "md": device.get("md", "Chromecast"), "fn": device["fn"],
                        "ve": "05", "ca": "4101", "st": "0", "rs": ""},
            server="%s.local." % device["id"],
        )
        zc.register_service(info)
        infos.append(info)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    ready = json.dumps({"ready": True, "instances": [i.name for i in infos]})
    print(ready, flush=True)
    if args.ready_file:
        with open(args.ready_file + ".tmp", "w") as f:
            f.write(ready + "\n")
        os.rename(args.ready_file + ".tmp", args.ready_file)
    done.wait(args.timeout)
    for info in infos:
        zc.unregister_service(info)
    zc.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
