using XSend.Xmpp.Errors;
using XSend.Xmpp.Sasl;

namespace XSend.Tests.Sasl;

public class SaslMechanismRankingTests
{
    [Theory]
    [InlineData(new[] { "PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-512" }, "SCRAM-SHA-512")]
    [InlineData(new[] { "PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256" }, "SCRAM-SHA-256")]
    [InlineData(new[] { "SCRAM-SHA-1", "PLAIN" }, "SCRAM-SHA-1")]
    [InlineData(new[] { "DIGEST-MD5", "PLAIN" }, "PLAIN")]
    public void Strongest_offered_mechanism_wins_whatever_the_server_order(string[] offered, string expected) =>
        Assert.Equal(expected, SaslMechanismRanking.Select(offered, isTlsProtected: true, "u", "p").Name);

    [Fact]
    public void Plain_is_refused_without_tls()
    {
        var error = Assert.Throws<XmppAuthenticationException>(() =>
            SaslMechanismRanking.Select(["PLAIN"], isTlsProtected: false, "u", "p"));
        Assert.Equal("no-acceptable-mechanism", error.Condition);
        Assert.Contains("PLAIN is refused without TLS", error.Message);
    }

    [Fact]
    public void Unknown_mechanisms_only_is_a_clear_error()
    {
        var error = Assert.Throws<XmppAuthenticationException>(() =>
            SaslMechanismRanking.Select(["DIGEST-MD5", "X-OAUTH2"], isTlsProtected: true, "u", "p"));
        Assert.Contains("DIGEST-MD5, X-OAUTH2", error.Message);
    }

    [Fact]
    public void Plain_sends_authcid_and_password_without_authzid()
    {
        var plain = SaslMechanismRanking.Select(["PLAIN"], isTlsProtected: true, "alice", "s3cret");
        Assert.Equal("\0alice\0s3cret", ScramVectorTests.Text(plain.GetInitialResponse()));
    }
}
