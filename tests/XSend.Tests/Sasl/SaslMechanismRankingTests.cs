using System.Security.Authentication;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Sasl;

namespace XSend.Tests.Sasl;

public class SaslMechanismRankingTests
{
    private static readonly ChannelBinding Binding = new(ChannelBinding.TlsServerEndPointType, [1, 2, 3]);
    private static readonly ChannelBinding Unique = new(ChannelBinding.TlsUniqueType, [4, 5, 6]);
    private static readonly string[] EndPointListed = [ChannelBinding.TlsServerEndPointType];

    internal static SaslSelectionContext Context(string[] offered, bool tls = true, bool verified = true, ChannelBinding? binding = null,
        string[]? cbTypes = null, bool requireBinding = false, string? minimum = null, SslProtocols protocol = SslProtocols.Tls13,
        ChannelBinding[]? bindings = null) => new()
    {
        Advertisement = new SaslAdvertisement(offered, cbTypes),
        IsTlsProtected = tls,
        IsServerAuthenticated = verified,
        TlsProtocol = protocol,
        ChannelBindings = bindings ?? (binding is null ? [] : [binding]),
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
        Assert.Equal(expected, SaslMechanismRanking.Select(Context(offered, binding: Binding, cbTypes: EndPointListed), "u", "p").Name);

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

        var plus = SaslMechanismRanking.Select(Context(["SCRAM-SHA-1-PLUS"], binding: Binding, cbTypes: EndPointListed), "u", "p");
        Assert.StartsWith("p=tls-server-end-point,,", ScramVectorTests.Text(plus.GetInitialResponse()));
    }

    [Fact]
    public void Without_xep0440_tls12_binds_with_the_default_tls_unique()
    {
        // ejabberd 23.01's offer: -PLUS without naming a type, so RFC 5802's default applies.
        string[] offered = ["PLAIN", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1"];
        var plus = (ScramMechanism)SaslMechanismRanking.Select(
            Context(offered, protocol: SslProtocols.Tls12, bindings: [Unique, Binding]), "u", "p");

        Assert.Equal("SCRAM-SHA-1-PLUS", plus.Name);
        Assert.Equal("tls-unique", plus.ChannelBindingType);
        Assert.StartsWith("p=tls-unique,,", ScramVectorTests.Text(plus.GetInitialResponse()));
    }

    [Fact]
    public void Without_xep0440_tls13_cannot_bind_because_its_default_is_tls_exporter()
    {
        // RFC 9266 §4: over TLS 1.3 an unnamed binding means tls-exporter, which .NET cannot
        // compute; guessing tls-server-end-point would fail the login, so SCRAM runs unbound ("n").
        string[] offered = ["PLAIN", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1"];
        var unbound = (ScramMechanism)SaslMechanismRanking.Select(Context(offered, binding: Binding), "u", "p");
        Assert.Equal("SCRAM-SHA-1", unbound.Name);
        Assert.StartsWith("n,,", ScramVectorTests.Text(unbound.GetInitialResponse()));

        var error = Assert.Throws<XmppAuthenticationException>(() =>
            SaslMechanismRanking.Select(Context(offered, binding: Binding, requireBinding: true), "u", "p"));
        Assert.Contains("SCRAM-SHA-1-PLUS (the server names no channel-binding type (XEP-0440), so over TLS 1.3 it expects tls-exporter", error.Message);
    }

    [Fact]
    public void A_listed_tls_unique_is_preferred_to_tls_server_end_point()
    {
        var plus = (ScramMechanism)SaslMechanismRanking.Select(Context(["SCRAM-SHA-256-PLUS"], protocol: SslProtocols.Tls12,
            bindings: [Unique, Binding], cbTypes: ["tls-server-end-point", "tls-unique"]), "u", "p");
        Assert.Equal("tls-unique", plus.ChannelBindingType);

        var endPoint = (ScramMechanism)SaslMechanismRanking.Select(Context(["SCRAM-SHA-256-PLUS"], protocol: SslProtocols.Tls12,
            bindings: [Unique, Binding], cbTypes: ["tls-server-end-point"]), "u", "p");
        Assert.Equal("tls-server-end-point", endPoint.ChannelBindingType);
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
        Assert.Contains("everything weaker than SCRAM-SHA-256, the floor set for this account", error.Message);
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
