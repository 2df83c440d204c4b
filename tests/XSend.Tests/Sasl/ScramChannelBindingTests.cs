using System.Security.Cryptography;
using XSend.Tests.Fakes;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Sasl;

namespace XSend.Tests.Sasl;

/// <summary>SCRAM-*-PLUS (RFC 5802 §6, RFC 5929) and XEP-0474 downgrade protection.</summary>
public class ScramChannelBindingTests
{
    private static readonly ChannelBinding Binding = new(ChannelBinding.TlsServerEndPointType, RandomNumberGenerator.GetBytes(32));

    [Theory]
    [InlineData("SCRAM-SHA-1-PLUS")]
    [InlineData("SCRAM-SHA-256-PLUS")]
    [InlineData("SCRAM-SHA-512-PLUS")]
    public void Plus_binds_the_channel_data_into_the_proof(string name)
    {
        HashAlgorithmName hash = name.Contains("512") ? HashAlgorithmName.SHA512 : name.Contains("256") ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1;
        var server = new ScramServer(name, hash, "pencil")
        {
            ExpectedGs2Header = "p=tls-server-end-point,,",
            ChannelBindingData = Binding.Data,
        };
        SaslMechanism client = SaslMechanismRanking.Select(SaslMechanismRankingTests.Context([name], binding: Binding, cbTypes: [Binding.Type]), "user", "pencil");

        Run(server, client);

        Assert.Equal(name, client.Name);
    }

    [Fact]
    public void A_man_in_the_middle_with_another_certificate_fails_the_proof()
    {
        // The server sees its own certificate's hash; the client bound to the attacker's.
        var server = new ScramServer("SCRAM-SHA-1-PLUS", HashAlgorithmName.SHA1, "pencil")
        {
            ExpectedGs2Header = "p=tls-server-end-point,,",
            ChannelBindingData = RandomNumberGenerator.GetBytes(32),
        };
        SaslMechanism client = SaslMechanismRanking.Select(SaslMechanismRankingTests.Context(["SCRAM-SHA-1-PLUS"], binding: Binding, cbTypes: [Binding.Type]), "user", "pencil");

        Assert.ThrowsAny<Exception>(() => Run(server, client));
    }

    [Fact]
    public void Tls_server_end_point_hashes_the_certificate_with_sha256_for_sha256_signatures()
    {
        var certificate = TestCertificates.Server;
        ChannelBinding binding = ChannelBinding.TlsServerEndPoint(certificate);
        Assert.Equal("tls-server-end-point", binding.Type);
        Assert.Equal(SHA256.HashData(certificate.RawData), binding.Data);
    }

    [Fact]
    public void Xep0474_example_hash_matches_the_spec()
    {
        // XEP-0474 §5.3: SHA-1 of "SCRAM-SHA-1\x1eSCRAM-SHA-1-PLUS\x1ftls-exporter\x1etls-server-end-point".
        var advertised = new SaslAdvertisement(["SCRAM-SHA-1-PLUS", "SCRAM-SHA-1"], ["tls-server-end-point", "tls-exporter"]);
        Assert.Equal("G6k/rBLDqgOhRRaCuuatSDFkJ08=", Convert.ToBase64String(SHA1.HashData(advertised.DowngradeProtectionInput())));
    }

    [Fact]
    public void A_matching_downgrade_hash_is_verified()
    {
        var seen = new SaslAdvertisement(["SCRAM-SHA-1", "PLAIN"], null);
        var server = new ScramServer("SCRAM-SHA-1", HashAlgorithmName.SHA1, "pencil")
        {
            DowngradeHash = Convert.ToBase64String(SHA1.HashData(seen.DowngradeProtectionInput())),
        };
        var client = (ScramMechanism)SaslMechanismRanking.Select(SaslMechanismRankingTests.Context(["SCRAM-SHA-1", "PLAIN"]), "user", "pencil");

        Run(server, client);

        Assert.True(client.DowngradeProtectionVerified);
    }

    [Fact]
    public void A_stripped_offer_is_caught_by_the_downgrade_hash()
    {
        // The server advertised SHA-256 and -PLUS; an attacker left the client only SCRAM-SHA-1.
        var real = new SaslAdvertisement(["SCRAM-SHA-1", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256"], ["tls-server-end-point"]);
        var server = new ScramServer("SCRAM-SHA-1", HashAlgorithmName.SHA1, "pencil")
        {
            DowngradeHash = Convert.ToBase64String(SHA1.HashData(real.DowngradeProtectionInput())),
        };
        var client = SaslMechanismRanking.Select(SaslMechanismRankingTests.Context(["SCRAM-SHA-1"]), "user", "pencil");

        var error = Assert.Throws<XmppAuthenticationException>(() => Run(server, client));
        Assert.Equal("downgrade-detected", error.Condition);
        Assert.Contains("XEP-0474", error.Message);
    }

    private static void Run(ScramServer server, SaslMechanism client)
    {
        string serverFirst = server.ReceiveClientFirst(Convert.ToBase64String(client.GetInitialResponse()));
        string clientFinal = Convert.ToBase64String(client.EvaluateChallenge(Convert.FromBase64String(serverFirst)));
        string serverFinal = server.ReceiveClientFinal(clientFinal);
        client.VerifySuccess(Convert.FromBase64String(serverFinal));
    }
}
