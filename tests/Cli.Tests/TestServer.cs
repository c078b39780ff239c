using System.Net;
using ActorHttp.Server;
using Akka.Actor;

namespace ActorHttp.Cli.Tests;

/// <summary>An ActorHttp server on 127.0.0.1:0 with the routes the command tests need; one per test class.</summary>
public sealed class TestServer : IAsyncLifetime
{
    private ActorSystem _system = null!;
    private HttpServer _server = null!;

    public string Url(string path) => $"http://{_server.LocalEndPoint}{path}";

    public async Task InitializeAsync()
    {
        _system = ActorSystem.Create("cli-tests");
        var mux = new ServeMux();
        mux.HandleFunc("/hello", async (w, _) =>
        {
            w.Headers.Add("Content-Type", "text/plain");
            w.Headers.Add("X-Multi", "a");
            w.Headers.Add("X-Multi", "b");
            await w.WriteAsync("hello\n");
        });
        mux.HandleFunc("/echo", async (w, r) =>
        {
            w.Headers.Add("X-Method", r.Method);
            w.Headers.Add("X-Content-Type", r.Headers.GetValue("Content-Type") ?? "");
            w.Headers.Add("X-Test", r.Headers.GetValue("X-Test") ?? "");
            using var body = new MemoryStream();
            await r.Body.CopyToAsync(body);
            await w.WriteAsync(body.ToArray());
        });
        mux.HandleFunc("/binary", async (w, _) =>
        {
            w.Headers.Add("Content-Type", "application/octet-stream");
            await w.WriteAsync(new byte[] { 0, 1, 2, 0xFF, 0xFE });
        });
        mux.HandleFunc("/redirect", (w, _) =>
        {
            w.Headers.Add("Location", "/hello");
            w.WriteHeader(302);
            return Task.CompletedTask;
        });
        mux.HandleFunc("/redirect-twice", (w, _) =>
        {
            w.Headers.Add("Location", "/redirect");
            w.WriteHeader(301);
            return Task.CompletedTask;
        });
        mux.HandleFunc("/missing", (w, _) =>
        {
            w.WriteHeader(404);
            return w.WriteAsync("no\n").AsTask();
        });
        _server = await HttpServer.StartAsync(_system, mux, new IPEndPoint(IPAddress.Loopback, 0));
    }

    public async Task DisposeAsync()
    {
        await _server.CloseAsync();
        await _system.Terminate();
    }
}
