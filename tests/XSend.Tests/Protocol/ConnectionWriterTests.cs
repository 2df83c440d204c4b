using System.Text;
using System.Text.RegularExpressions;
using XSend.Xmpp;
using XSend.Xmpp.Connection;
using XSend.Xmpp.Transport;

namespace XSend.Tests.Protocol;

/// <summary>The connection has one writer: elements written at the same time (a keepalive during a send) never interleave.</summary>
public class ConnectionWriterTests
{
    [Fact]
    public async Task Concurrent_writes_reach_the_wire_whole_and_one_after_another()
    {
        var wire = new YieldingStream();
        using var connection = new XmppConnection(new XmppClientOptions());
        connection.Attach(wire);

        string[] elements = Enumerable.Range(0, 20).Select(i => $"<message id='m{i}'><body>{new string((char)('a' + i), 64)}</body></message>").ToArray();
        await Task.WhenAll(elements.Select(e => Task.Run(() => connection.WriteAsync(e, CancellationToken.None))));

        string written = wire.Written;
        Assert.Equal(elements.Sum(e => e.Length), written.Length);
        // Each element is contiguous: split the wire at element boundaries and find every one whole.
        string[] pieces = Regex.Split(written, "(?<=</message>)").Where(p => p.Length > 0).ToArray();
        Assert.Equal(elements.Order(), pieces.Order());
    }

    /// <summary>Takes each write a byte at a time, yielding between bytes, as a slow socket might.</summary>
    private sealed class YieldingStream() : PassThroughStream(Null)
    {
        private readonly StringBuilder _written = new();

        public string Written
        {
            get
            {
                lock (_written)
                    return _written.ToString();
            }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                lock (_written)
                    _written.Append((char)buffer.Span[i]);
                await Task.Yield();
            }
        }

        protected override void OnRead(ReadOnlySpan<byte> received)
        {
        }
    }
}
