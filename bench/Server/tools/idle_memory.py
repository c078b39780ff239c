# Managed heap and RSS per idle keep-alive connection of bench/Server, plain or TLS (issue 13: where a TLS
# connection's memory is). Each connection did one GET /plaintext; the server reports GET /debug/memory.
#   dotnet ActorHttp.Server.Bench.dll --port 18443 --tls-self-signed &   python3 idle_memory.py 18443 2000 tls
#   dotnet ActorHttp.Server.Bench.dll --port 18080 &                     python3 idle_memory.py 18080 2000 plain
import socket, ssl, sys, re
port, n, tls = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "tls"
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
def conn():
    s = socket.create_connection(("127.0.0.1", port))
    return ctx.wrap_socket(s, server_hostname="localhost") if tls else s
def get(s, path):
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data: data += s.recv(4096)
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
    while len(body) < length: body += s.recv(4096)
    return body.decode()
m = conn()
def memory():
    d = dict(kv.split("=") for kv in get(m, "/debug/memory").split())
    return int(d["managed"]), int(d["rss"])
get(m, "/plaintext")
for warm in range(2):
    w = [conn() for _ in range(200)]
    for s in w: get(s, "/plaintext")
    for s in w: s.close()
b = memory()
conns = [conn() for _ in range(n)]
for s in conns: get(s, "/plaintext")
a = memory()
print(f"{'tls' if tls else 'plain'}: {n} idle connections: managed {(a[0]-b[0])/n:.0f} B/conn, rss {(a[1]-b[1])/n:.0f} B/conn")
