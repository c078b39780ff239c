#!/usr/bin/env python3
# Server CPU time per request (or per connection with --close), for issue 13 on a shared machine where req/s says little:
# each server starts fresh on CPU 1 (taskset, nice 19), gets a 3 s wrk warm-up, then utime+stime of its process tree
# (/proc/<pid>/stat, children included) is read around a fixed-length `wrk -t1` run on CPU 0 and divided by the requests
# wrk reports. Also voluntary context switches per request (all threads): a thread that blocks between requests is a hop.
# Compare servers measured in the same run, as ratios.
#   python3 tls_cpu.py LABEL "SERVER CMD with {port} {cert} {key}" [--close] [--conc 64] [--duration 10] [--http]
#   e.g. (certificate as ../shared/bench makes it: openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 ...):
#   CERT=cert.pem KEY=key.pem python3 tls_cpu.py nginx "env NGINX_TLS_CERT={cert} NGINX_TLS_KEY={key} ../shared/bench/servers/nginx/run-nginx.sh {port}"
#   CERT=cert.pem KEY=key.pem python3 tls_cpu.py actorhttp "dotnet ActorHttp.Server.Bench.dll --port {port} --tls-cert {cert} --tls-key {key}"
# Prints one JSON line: requests, rps, cpu_us_per_req, cpu_util (server CPU / wall time), vcsw_per_req, wrk's errors.
import json, os, re, signal, socket, subprocess, sys, time
CERT = os.environ.get("CERT", "cert.pem"); KEY = os.environ.get("KEY", "key.pem")
TCK = os.sysconf("SC_CLK_TCK")

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def tree(pid):
    out, changed = {pid}, True
    while changed:
        changed = False
        for d in filter(str.isdigit, os.listdir("/proc")):
            try: ppid = int(open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()[1])
            except OSError: continue
            if ppid in out and int(d) not in out: out.add(int(d)); changed = True
    return out

def ticks(pids):
    t = 0
    for p in pids:
        try: f = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split(); t += int(f[11]) + int(f[12])
        except OSError: pass
    return t

def vcsw(pids):
    t = 0
    for p in pids:
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                for line in open(f"/proc/{p}/task/{task}/status"):
                    if line.startswith("voluntary_ctxt_switches"): t += int(line.split()[1])
        except OSError: pass
    return t

def wrk(url, conc, dur, close):
    cmd = ["taskset", "-c", "0", "nice", "-n", "19", "wrk", "-t1", f"-c{conc}", f"-d{dur}s"] + (["-H", "Connection: close"] if close else []) + [url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=dur + 30).stdout
    n = re.search(r"(\d+) requests in", out); errs = re.search(r"Socket errors: (.*)", out)
    return int(n.group(1)), errs.group(1) if errs else ""

def main():
    a = sys.argv[1:]; label, template = a[0], a[1]
    close, http = "--close" in a, "--http" in a
    conc = int(a[a.index("--conc") + 1]) if "--conc" in a else 64
    dur = int(a[a.index("--duration") + 1]) if "--duration" in a else 10
    port = free_port()
    p = subprocess.Popen("exec taskset -c 1 nice -n 19 " + template.format(port=port, cert=CERT, key=KEY), shell=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"{'http' if http else 'https'}://127.0.0.1:{port}/plaintext"
    try:
        deadline = time.time() + 60
        while subprocess.run(["curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", url], capture_output=True, text=True).stdout != "200":
            if time.time() > deadline: sys.exit(f"{label}: not ready")
            time.sleep(0.2)
        wrk(url, conc, 3, close)
        pids = tree(p.pid); t0, c0, w0 = ticks(pids), vcsw(pids), time.time()
        n, errs = wrk(url, conc, dur, close)
        pids |= tree(p.pid); t1, c1, wall = ticks(pids), vcsw(pids), time.time() - w0
        cpu = (t1 - t0) / TCK
        print(json.dumps({"label": label, "mode": "close" if close else "keepalive", "conc": conc, "requests": n, "rps": round(n / dur),
                          "cpu_us_per_req": round(cpu * 1e6 / max(n, 1), 1), "cpu_util": round(cpu / wall, 2),
                          "vcsw_per_req": round((c1 - c0) / max(n, 1), 3), "errors": errs}), flush=True)
    finally:
        os.killpg(p.pid, signal.SIGTERM)
        try: p.wait(10)
        except subprocess.TimeoutExpired: os.killpg(p.pid, signal.SIGKILL); p.wait()

main()
