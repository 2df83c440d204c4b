using XSend.Xmpp.Errors;
using XSend.Xmpp.Sasl;

namespace XSend.Tests.Sasl;

public class SaslMechanismRankingTests
{
    private static readonly ChannelBinding Binding = new(ChannelBinding.TlsServerEndPointType, [1, 2, 3]);

    internal static SaslSelectionContext Context(string[] offered, bool tls = true, bool verified = true, ChannelBinding? binding = null,
        string[]? cbTypes = null, bool requireBinding = false, string? minimum = null) => new()
    {
        Advertisement = new SaslAdvertisement(offered, cbTypes),
        IsTlsProtected = tls,
        IsServerAuthenticated = verified,
        ChannelBinding = binding,
        RequireChannelBinding = requireBinding,
        MinimumMechanism = minimum,
    };

    [Theory]
    [InlineData(new[] { "PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-512" }, "SCRAM-SHA-512")]
    [InlineData(new[] { "PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256" }, "SCRAM-SHA-256")]
    [InlineData(new[] { "SCRAM-SHA-1", "PLAIN" }, "SCRAM-SHA-1")]
    [InlineData(new[] { "DIGEST-MD5", "PLAIN" }, "PLAIN")]
    public void Strongest_offered_mechanism_wins_whatever_the_server_order(string[] offered, string expected) =>
        Assert.Equal(expected, SaslMechanismRanking.Select(Context(offered), "u", "p").Name);

    [Theory]
    [InlineData(new[] { "SCRAM-SHA-1", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "PLAIN" }, "SCRAM-SHA-1-PLUS")] // ejabberd's offer
    [InlineData(new[] { "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-512" }, "SCRAM-SHA-256-PLUS")]
    [InlineData(new[] { "SCRAM-SHA-512-PLUS", "SCRAM-SHA-256-PLUS" }, "SCRAM-SHA-512-PLUS")]
    public void Any_channel_bound_variant_beats_every_unbound_one(string[] offered, string expected) =>
        Assert.Equal(expected, SaslMechanismRanking.Select(Context(offered, binding: Binding), "u", "p").Name);

    [Fact]
    public void Plus_is_skipped_without_a_binding_or_without_a_shared_xep0440_type()
    {
        string[] offered = ["SCRAM-SHA-1-PLUS", "SCRAM-SHA-1"];
        Assert.Equal("SCRAM-SHA-1", SaslMechanismRanking.Select(Context(offered), "u", "p").Name);
        Assert.Equal("SCRAM-SHA-1", SaslMechanismRanking.Select(Context(offered, binding: Binding, cbTypes: ["tls-exporter"]), "u", "p").Name);
        Assert.Equal("SCRAM-SHA-1-PLUS",
            SaslMechanismRanking.Select(Context(offered, binding: Binding, cbTypes: ["tls-exporter", "tls-server-end-point"]), "u", "p").Name);
    }

    [Fact]
    public void The_gs2_flag_says_y_only_when_the_client_could_bind_and_the_server_offered_no_plus()
    {
        var y = (ScramMechanism)SaslMechanismRanking.Select(Context(["SCRAM-SHA-1"], binding: Binding), "u", "p");
        Assert.StartsWith("y,,", ScramVectorTests.Text(y.GetInitialResponse()));

        var n = (ScramMechanism)SaslMechanismRanking.Select(Context(["SCRAM-SHA-1"]), "u", "p");
        Assert.StartsWith("n,,", ScramVectorTests.Text(n.GetInitialResponse()));

        // The server offers -PLUS but with no type we share (XEP-0474 rule 6): "n", not "y".
        var shared = (ScramMechanism)SaslMechanismRanking.Select(
            Context(["SCRAM-SHA-1-PLUS", "SCRAM-SHA-1"], binding: Binding, cbTypes: ["tls-exporter"]), "u", "p");
        Assert.StartsWith("n,,", ScramVectorTests.Text(shared.GetInitialResponse()));

        var plus = SaslMechanismRanking.Select(Context(["SCRAM-SHA-1-PLUS"], binding: Binding), "u", "p");
        Assert.StartsWith("p=tls-server-end-point,,", ScramVectorTests.Text(plus.GetInitialResponse()));
    }

    [Fact]
    public void Requiring_channel_binding_refuses_every_unbound_mechanism()
    {
        var error = Assert.Throws<XmppAuthenticationException>(() =>
            SaslMechanismRanking.Select(Context(["SCRAM-SHA-512", "PLAIN"], binding: Binding, requireBinding: true), "u", "p"));
        Assert.Equal("no-acceptable-mechanism", error.Condition);
        Assert.Contains("SCRAM-SHA-512 (channel binding is required)", error.Message);
    }

    [Fact]
    public void A_pinned_mechanism_refuses_a_downgrade_but_allows_an_upgrade()
    {
        var error = Assert.Throws<XmppAuthenticationException>(() =>
            SaslMechanismRanking.Select(Context(["SCRAM-SHA-1", "PLAIN"], minimum: "SCRAM-SHA-256"), "u", "p"));
        Assert.Contains("weaker than SCRAM-SHA-256", error.Message);
        Assert.Equal("SCRAM-SHA-512", SaslMechanismRanking.Select(Context(["SCRAM-SHA-512"], minimum: "SCRAM-SHA-256"), "u", "p").Name);
    }

    [Fact]
    public void Plain_is_refused_without_tls()
    {
        var error = Assert.Throws<XmppAuthenticationException>(() =>
            SaslMechanismRanking.Select(Context(["PLAIN"], tls: false), "u", "p"));
        Assert.Equal("no-acceptable-mechanism", error.Condition);
        Assert.Contains("PLAIN (no TLS)", error.Message);
    }

    [Fact]
    public void Plain_is_refused_when_the_certificate_was_not_verified()
    {
        var error = Assert.Throws<XmppAuthenticationException>(() =>
            SaslMechanismRanking.Select(Context(["PLAIN"], verified: false), "u", "p"));
        Assert.Contains("PLAIN (the server's certificate is not verified)", error.Message);
    }

    [Fact]
    public void Unknown_mechanisms_only_is_a_clear_error()
    {
        var error = Assert.Throws<XmppAuthenticationException>(() =>
            SaslMechanismRanking.Select(Context(["DIGEST-MD5", "X-OAUTH2"]), "u", "p"));
        Assert.Contains("DIGEST-MD5, X-OAUTH2", error.Message);
    }

    [Fact]
    public void Plain_sends_authcid_and_password_without_authzid()
    {
        var plain = SaslMechanismRanking.Select(Context(["PLAIN"]), "alice", "s3cret");
        Assert.Equal("\0alice\0s3cret", ScramVectorTests.Text(plain.GetInitialResponse()));
    }
}
