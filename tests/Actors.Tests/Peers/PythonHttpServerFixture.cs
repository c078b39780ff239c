using ActorHttp.Actors.Tests.Support.Peers;

namespace ActorHttp.Actors.Tests.Peers;

/// <summary>One Python server for the tests that do not count connections: each start costs a process.</summary>
public sealed class PythonHttpServerFixture : IAsyncLifetime
{
    private PythonHttpServer? _server;

    public PythonHttpServer Server => _server ?? throw new InvalidOperationException("python3 is not available.");

    public async Task InitializeAsync()
    {
        if (PythonHttpServer.IsAvailable) _server = await PythonHttpServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
