using System.Buffers;
using BenchmarkDotNet.Attributes;

namespace ActorHttp.Protocol.Bench;

/// <summary>Parsing one response (client role): ActorHttp head and body against the naive parser; Kestrel has no response parser.</summary>
[Config(typeof(BenchConfig))]
public class ResponseParseBenchmarks
{
    private ReadOnlySequence<byte> _sequence;
    private byte[] _bytes = [];
    private readonly ResponseHeadParser _responses = new(BenchLimits.Default);

    [Params(Messages.Response8)]
    public string Message { get; set; } = Messages.Response8;

    [GlobalSetup]
    public void Setup()
    {
        _bytes = Messages.Bytes(Message);
        _sequence = new ReadOnlySequence<byte>(_bytes);
    }

    [Benchmark(Baseline = true, Description = "ActorHttp")]
    public long ActorHttp()
    {
        var response = _responses.Parse(_sequence, RequestMethod.Get);
        return RequestParseBenchmarks.DrainBody(BodyDecoder.For(response.Head!, BenchLimits.Default), _sequence.Slice(response.BytesConsumed));
    }

    [Benchmark(Description = "naive split")]
    public long Naive() => NaiveParser.Parse(_bytes).HeadLength;
}
