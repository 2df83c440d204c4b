using System.Diagnostics;
using System.Text;
using System.Xml;
using XSend.Tests.Fakes;
using XSend.Xmpp;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;
using XSend.Xmpp.Tls;
using static XSend.Tests.Client.Conversation;

namespace XSend.Tests.Protocol;

/// <summary>
/// The reader is bounded and linear in its input: whatever the XML parser throws is a protocol
/// error, attributes are counted before any work is done on them, and a deadline stops work on
/// data already buffered.
/// </summary>
public class ParserLimitsTests
{
    private static readonly XmppClientOptions PlainOptions = new() { Tls = TlsRequirement.Optional };

    private static async Task<(Exception? Error, TimeSpan Elapsed)> ServerSendsAsync(Func<ScriptedServer, Task> send)
    {
        var clock = Stopwatch.StartNew();
        var (error, _) = await RunAsync(async s =>
        {
            await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
            await send(s);
            try
            {
                await s.ExpectAsync("<never-sent/>"); // returns when the client hangs up (bounded by the script's own timeout)
            }
            catch (Xunit.Sdk.XunitException)
            {
            }
        }, _ => Task.CompletedTask, PlainOptions);
        return (error, clock.Elapsed);
    }

    [Theory]
    [InlineData(new byte[] { 0x80 })] // the 22-byte greeting that made XmlReader throw ArgumentOutOfRangeException
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3, 0xA9 })] // é in UTF-8
    [InlineData(new byte[] { 0xE2, 0x80, 0xAE })] // U+202E
    public async Task A_non_ascii_byte_in_the_declarations_version_is_a_protocol_error(byte[] odd)
    {
        byte[] greeting = [.. "<?xml version='1.0"u8, .. odd, .. "'?>"u8];

        var (error, _) = await ServerSendsAsync(s => s.SendBytesAsync(greeting));

        var protocol = Assert.IsType<XmppProtocolException>(error);
        Assert.Contains("malformed XML", protocol.Message);
    }

    [Fact]
    public async Task Whitespace_between_the_declaration_and_the_stream_header_is_accepted()
    {
        var (error, _) = await ServerSendsAsync(s => s.SendAsync(
            "<?xml version='1.0'?>\n\r\n\t <stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='s1' version='1.0'>"
            + "\n<stream:features/>"));

        Assert.Null(error);
    }

    [Fact]
    public async Task An_element_with_eighty_thousand_attributes_is_refused_at_once()
    {
        // ~1 MiB of attributes before STARTTLS: added one by one this cost a minute of CPU.
        var features = new StringBuilder("<stream:features");
        for (int i = 0; i < 80_000; i++)
            features.Append(" a").Append(i).Append("='1'");
        features.Append("/>");

        var (error, elapsed) = await ServerSendsAsync(s => s.SendAsync(ScriptedServer.ServerHeader + features));

        var protocol = Assert.IsType<XmppProtocolException>(error);
        Assert.Contains($"more than {XmppStreamReader.MaxAttributes} attributes", protocol.Message);
        Assert.InRange(elapsed.TotalSeconds, 0, 3);
    }

    [Fact]
    public async Task The_attribute_limit_counts_on_the_stream_header_too()
    {
        string many = string.Concat(Enumerable.Range(0, 1000).Select(i => $" x{i}='1'"));
        var (error, _) = await ServerSendsAsync(s => s.SendAsync(
            $"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'{many} version='1.0'>"));

        Assert.Contains("attributes", Assert.IsType<XmppProtocolException>(error).Message);
    }

    [Fact]
    public async Task Elements_up_to_the_attribute_limit_keep_every_attribute()
    {
        string attributes = string.Concat(Enumerable.Range(0, XmppStreamReader.MaxAttributes - 1).Select(i => $" a{i}='v{i}'"));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(ScriptedServer.ServerHeader + $"<x xmlns='jabber:client'{attributes}/>"));
        var reader = new XmppStreamReader(new MeteredStream(stream, 1024 * 1024));

        await reader.ReadHeaderAsync();
        var element = await reader.ReadElementAsync();

        Assert.NotNull(element);
        Assert.Equal(XmppStreamReader.MaxAttributes - 1, element.Attributes().Count()); // the xmlns declaration is in the name
        Assert.Equal("v62", element.Attribute("a62")?.Value);
    }

    [Fact]
    public async Task A_deadline_stops_the_reader_on_data_already_buffered()
    {
        // A megabyte of tiny elements arrives at once; the deadline passes as the first bytes are read.
        string body = ScriptedServer.ServerHeader + "<stream:features>" + string.Concat(Enumerable.Repeat("<a/>", 200_000)) + "</stream:features>";
        using var deadline = new CancellationTokenSource();
        var stream = new CancelOnReadStream(new MemoryStream(Encoding.UTF8.GetBytes(body)), deadline, afterBytes: ScriptedServer.ServerHeader.Length + 100);
        var reader = new XmppStreamReader(new MeteredStream(stream, 2 * 1024 * 1024));
        await reader.ReadHeaderAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadElementAsync(deadline.Token));
        Assert.True(stream.Position < body.Length, "the reader went on to the end of the input after the deadline");
    }

    [Fact]
    public async Task Whatever_the_xml_reader_throws_becomes_an_xml_exception()
    {
        using var stream = new MemoryStream([.. "<?xml version='1.0"u8, 0x80, .. "'?>"u8]);
        var reader = new XmppStreamReader(new MeteredStream(stream, 1024));

        await Assert.ThrowsAsync<XmlException>(() => reader.ReadHeaderAsync());
    }

    /// <summary>Cancels a token once <c>afterBytes</c> have been read, never observing the token itself (as a buffered read would).</summary>
    private sealed class CancelOnReadStream(Stream inner, CancellationTokenSource source, long afterBytes) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = inner.Read(buffer, offset, count);
            if (inner.Position >= afterBytes)
                source.Cancel();
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            byte[] chunk = new byte[buffer.Length];
            int read = Read(chunk, 0, chunk.Length);
            chunk.AsSpan(0, read).CopyTo(buffer.Span);
            return ValueTask.FromResult(read);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
