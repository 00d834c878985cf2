"""Child processes of the harness: started, their JSON lines read with a timeout, and ended
by their own PID (SIGINT/SIGTERM first, SIGKILL only if that is ignored)."""
import json
import queue
import signal
import subprocess
import threading


class Child:
    def __init__(self, name, argv, log_path, **popen):
        self.name = name
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.log, stdin=subprocess.DEVNULL,
                                     **popen)
        self.pid = self.proc.pid
        self.lines = queue.Queue()
        self.seen = []
        self.ended = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.proc.stdout:
            self.lines.put(raw.decode(errors="replace").rstrip("\n"))
        self.lines.put(None)

    def expect(self, key, timeout):
        """The first JSON object printed that has `key` (also searching what came before)."""
        for obj in self.seen:
            if key in obj:
                return obj
        try:
            while True:
                line = None if self.ended else self.lines.get(timeout=timeout)
                if line is None:
                    self.ended = True
                    raise RuntimeError(f"{self.name} ended (exit {self.proc.wait()}) before printing {key!r}")
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                if isinstance(obj, dict):
                    self.seen.append(obj)
                    if key in obj:
                        return obj
        except queue.Empty:
            raise RuntimeError(f"{self.name} printed no {key!r} in {timeout} s") from None

    def running(self):
        return self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Ends the process by its PID; returns its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()
        return self.proc.returncode
