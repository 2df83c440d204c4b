using System.Threading.Channels;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using XSend.Xmpp;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Session;

namespace XSend.Tests.Session;

/// <summary>
/// A negotiated stream for the dispatcher, scripted: elements are pushed as raw server XML (in
/// the jabber:client default namespace, as on a real stream), and what the dispatcher writes is
/// recorded in order and can be awaited.
/// </summary>
internal sealed class ScriptedHost : ISessionHost
{
    private readonly Channel<Func<XElement>> _inbound = Channel.CreateUnbounded<Func<XElement>>();
    private readonly Channel<string> _writes = Channel.CreateUnbounded<string>();
    private readonly List<string> _written = [];
    private readonly SemaphoreSlim _drained = new(0);

    public Jid Account { get; } = Jid.Parse("alice@xsend.test");

    public Jid? BoundJid { get; set; } = Jid.Parse("alice@xsend.test/xsend-1");

    public bool IsStreamManagementEnabled { get; set; }

    public long? MaxStanzaBytes { get; set; }

    public bool SendReceipts { get; set; }

    public FakeTimeProvider Clock { get; } = new();

    public TimeProvider Time => Clock;

    public XmppStep Step { get; private set; } = XmppStep.Idle;

    public bool Aborted { get; private set; }

    public IReadOnlyList<string> Written
    {
        get
        {
            lock (_written)
                return [.. _written];
        }
    }

    /// <summary>Queues server XML (one or more top-level elements) for the dispatcher to read.</summary>
    public void Push(string xml)
    {
        foreach (XElement element in XElement.Parse($"<stream xmlns='jabber:client'>{xml}</stream>").Elements().ToList())
        {
            element.Remove();
            _inbound.Writer.TryWrite(() => element);
        }
    }

    /// <summary>The next read fails with <paramref name="failure"/> (a stream error, the stream's end).</summary>
    public void Fail(Exception failure) => _inbound.Writer.TryWrite(() => throw failure);

    /// <summary>The next thing the dispatcher writes, within a bound.</summary>
    public async Task<string> NextWriteAsync() =>
        await _writes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public void SetStep(XmppStep step, string message) => Step = step;

    public void Report(string message)
    {
    }

    /// <summary>Completes when the reader has taken everything pushed so far and waits for more (one call per such wait).</summary>
    public async Task DrainedAsync() => Assert.True(await _drained.WaitAsync(TimeSpan.FromSeconds(10)), "the reader never caught up");

    public async Task<XElement> ReadElementAsync(CancellationToken cancellationToken)
    {
        if (!_inbound.Reader.TryPeek(out _))
            _drained.Release();
        Func<XElement> next = await _inbound.Reader.ReadAsync(cancellationToken);
        return next();
    }

    public Task WriteAsync(string xml, CancellationToken cancellationToken)
    {
        if (Aborted)
            throw new XmppConnectionException(ConnectionFailure.Lost, "aborted");
        lock (_written)
            _written.Add(xml);
        _writes.Writer.TryWrite(xml);
        return Task.CompletedTask;
    }

    public XmppStanzaException ParseStanzaError(XElement stanza)
    {
        XElement? error = stanza.Elements().FirstOrDefault(e => e.Name.LocalName == "error");
        string condition = error?.Elements().FirstOrDefault()?.Name.LocalName ?? "undefined-condition";
        return new XmppStanzaException(stanza.Name.LocalName == "iq" ? StanzaKind.Iq : StanzaKind.Message,
            XmppStanzaException.ParseErrorType(error?.Attribute("type")?.Value), condition, null, stanza.Attribute("from")?.Value);
    }

    public void Abort()
    {
        Aborted = true;
        _inbound.Writer.TryWrite(() => throw new XmppConnectionException(ConnectionFailure.Lost, "the connection was aborted"));
    }
}
