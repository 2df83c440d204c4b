using XSend.Xmpp.Errors;
using XSend.Xmpp.Session;

namespace XSend.Tests.Session;

/// <summary>
/// Keepalive on fake time: an idle stream is probed after the interval, and a probe that nothing
/// answers within the timeout ends the session as a lost connection (dead within interval + timeout).
/// </summary>
public class KeepAliveTests
{
    private static readonly KeepAlive Policy = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20));

    [Theory]
    [InlineData(true, "<r xmlns='urn:xmpp:sm:3'/>")]
    [InlineData(false, "<iq type='get' id='")]
    public async Task An_idle_stream_is_probed_after_the_interval_and_declared_dead_after_the_timeout(bool streamManagement, string probe)
    {
        var host = new ScriptedHost { IsStreamManagementEnabled = streamManagement };
        var dispatcher = new StanzaDispatcher(host);
        Task<Exception> loop = dispatcher.RunAsync(Policy, default);

        host.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(host.Written);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.StartsWith(probe, await host.NextWriteAsync());
        Assert.False(loop.IsCompleted);

        host.Clock.Advance(TimeSpan.FromSeconds(19));
        Assert.False(loop.IsCompleted);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var dead = Assert.IsType<XmppConnectionException>(await loop.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ConnectionFailure.Lost, dead.Failure);
        Assert.Contains("did not answer a keepalive within 20 s", dead.Message);
        Assert.True(host.Aborted);
    }

    [Fact]
    public async Task An_answered_probe_keeps_the_session_and_the_next_comes_an_interval_after_the_answer()
    {
        var host = new ScriptedHost { IsStreamManagementEnabled = true };
        var dispatcher = new StanzaDispatcher(host);
        Task<Exception> loop = dispatcher.RunAsync(Policy, default);
        await host.DrainedAsync();

        host.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal("<r xmlns='urn:xmpp:sm:3'/>", await host.NextWriteAsync());
        host.Clock.Advance(TimeSpan.FromSeconds(5));
        host.Push("<a xmlns='urn:xmpp:sm:3' h='0'/>");
        await host.DrainedAsync(); // routed at t = 65 s
        host.Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.False(loop.IsCompleted);

        // The next probe is an interval after the last thing received (t = 125 s), not after the probe.
        host.Clock.Advance(TimeSpan.FromSeconds(44));
        Assert.Single(host.Written);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("<r xmlns='urn:xmpp:sm:3'/>", await host.NextWriteAsync());
        Assert.False(loop.IsCompleted);
    }
}
