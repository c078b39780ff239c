using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http;

namespace ActorHttp.Protocol.Bench;

/// <summary>
/// Parsing one request: ActorHttp (head, framing and, for the chunked POST, the body), Kestrel's
/// HttpParser on the same bytes (request line and fields only, into a counting sink), and the naive
/// string-splitting parser.
/// </summary>
[Config(typeof(BenchConfig))]
public class RequestParseBenchmarks
{
    private ReadOnlySequence<byte> _sequence;
    private byte[] _bytes = [];
    private RequestHeadParser _requests = null!;
    private readonly HttpParser<KestrelHandler> _kestrel = new();
    private readonly KestrelHandler _handler = new();

    [Params(Messages.TinyGet, Messages.BrowserGet, Messages.ChunkedPost)]
    public string Message { get; set; } = Messages.TinyGet;

    [GlobalSetup]
    public void Setup()
    {
        _bytes = Messages.Bytes(Message);
        _sequence = new ReadOnlySequence<byte>(_bytes);
        _requests = new RequestHeadParser(BenchLimits.Default);
        if (ActorHttp() != Kestrel()) throw new InvalidOperationException("The parsers disagree on the message.");
    }

    [Benchmark(Baseline = true, Description = "ActorHttp")]
    public long ActorHttp()
    {
        var request = _requests.Parse(_sequence);
        var head = request.Head!;
        if (head.Framing.HasBody) DrainBody(BodyDecoder.For(head, BenchLimits.Default), _sequence.Slice(request.BytesConsumed));
        return request.BytesConsumed;
    }

    [Benchmark(Description = "Kestrel HttpParser")]
    public long Kestrel()
    {
        var reader = new SequenceReader<byte>(_sequence);
        _kestrel.ParseRequestLine(_handler, ref reader);
        _kestrel.ParseHeaders(_handler, ref reader);
        return reader.Consumed;
    }

    [Benchmark(Description = "naive split")]
    public long Naive() => NaiveParser.Parse(_bytes).HeadLength;

    internal static long DrainBody(BodyDecoder decoder, ReadOnlySequence<byte> input)
    {
        long total = 0;
        while (true)
        {
            var step = decoder.Decode(input, isFinalBlock: true);
            if (step.Status != BodyDecodeStatus.Data) return total;
            total += step.Data.Length;
            input = input.Slice(step.BytesConsumed);
        }
    }
}
