using System.Text;
using XSend.Tests.Fakes;
using XSend.Xmpp;
using static XSend.Tests.Client.Conversation;

namespace XSend.Tests.Client;

/// <summary>Heap measurements need the process to themselves.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "memory measurement";
}

/// <summary>
/// A server that pushes stanzas faster than anyone reads them costs bounded memory: a sender keeps
/// nothing it does not wait for, and a receiver's queue drops the oldest, counting them.
/// </summary>
[Collection(MemoryMeasurementCollection.Name)]
public class PushFloodTests
{
    private const string Password = "s3cret-Pa55";
    private const int Pushed = 100;
    private const long HeapBound = 64L * 1024 * 1024;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_hundred_pushed_megabyte_messages_during_a_send_stay_under_64_MiB(bool receiving)
    {
        // Each message is just under the 1 MiB element limit; 100 of them are 100 MB on the wire (kept, 200 MB of strings).
        byte[][] flood = Enumerable.Range(0, Pushed).Select(i => Encoding.UTF8.GetBytes(
            $"<message from='bob@xsend.test/x' type='chat' id='m{i}'><body>{new string('A', 1_000_000)}</body></message>")).ToArray();
        long baseline = 0, peak = 0;
        await using var server = new FakeXmppServer(async s =>
        {
            await EstablishSessionAsync(s, Password);
            if (receiving)
                await s.ExpectAsync("<presence/>");
            await s.ExpectAsync(MessagePattern);
            await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            baseline = GC.GetTotalMemory(forceFullCollection: true);
            for (int i = 0; i < Pushed; i++)
            {
                await s.SendBytesAsync(flood[i]); // TCP back-pressure: the client has read most of what went before
                if (i % 20 == 19)
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
            await s.SendAsync($"<a xmlns='urn:xmpp:sm:3' h='{(receiving ? 2 : 1)}'/>");
            await s.ExpectAsync("*</stream:stream>");
        }, maxConnections: 1);

        await using var client = new XmppClient(Alice, new XmppClientOptions { TrustedCertificates = TestCertificates.TrustedCa });
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await client.ConnectAsync("127.0.0.1", server.Port, guard.Token);
        await client.AuthenticateAsync(Password, guard.Token);
        if (receiving)
            await client.SendPresenceAsync(guard.Token);
        await client.SendMessageAsync(new OutgoingMessage(Bob, "disk full"), guard.Token);
        peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);

        Assert.True(peak < HeapBound, $"the heap grew by {peak / (1024 * 1024)} MiB during the flood");
        if (!receiving)
        {
            Assert.Equal(Pushed, client.DroppedStanzas); // a pure sender keeps nothing
        }
        else
        {
            // The newest messages are kept, the oldest dropped and counted.
            long dropped = client.DroppedStanzas;
            Assert.InRange(dropped, 1, Pushed - 1);
            ReceivedMessage first = await client.ReceiveMessageAsync(guard.Token);
            Assert.Equal($"m{dropped}", first.Id);
            Assert.Equal(1_000_000, first.Body!.Length);
        }
        await client.DisconnectAsync(guard.Token);
        await server.CompletionAsync();
        Assert.Null(server.ScriptFailure);
    }
}
