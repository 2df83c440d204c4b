using XSend.Fuzz;

namespace XSend.Tests.Fuzzing;

/// <summary>
/// Every file of the fuzz corpus (tests/XSend.Fuzz/corpus/TARGET/: the seeds and whatever
/// scripts/fuzz.sh found) replayed in-process through the same target entry points afl-fuzz
/// drives: each must end normally or with a typed exception, within the time bound.
/// </summary>
public class FuzzCorpusTests
{
    private static readonly string CorpusRoot = Path.Combine(AppContext.BaseDirectory, "FuzzCorpus");

    public static TheoryData<string, string> CorpusFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (string directory in Directory.GetDirectories(CorpusRoot).Order(StringComparer.Ordinal))
        {
            foreach (string file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
                data.Add(Path.GetFileName(directory), Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Corpus_input_ends_normally_or_with_a_typed_exception(string target, string file)
    {
        byte[] input = File.ReadAllBytes(Path.Combine(CorpusRoot, target, file));

        // Throws FuzzCrashException (with the escaped exception inside) when the contract breaks.
        FuzzOutcome outcome = FuzzTargets.Get(target).Execute(input);

        Assert.NotNull(outcome.Detail);
    }

    [Fact]
    public void Every_target_has_seeds_and_every_corpus_folder_is_a_target()
    {
        string[] folders = Directory.GetDirectories(CorpusRoot).Select(Path.GetFileName).Order().ToArray()!;
        Assert.Equal(FuzzTargets.All.Select(t => t.Name).Order(), folders);
        Assert.All(folders, f => Assert.NotEmpty(Directory.GetFiles(Path.Combine(CorpusRoot, f))));
    }

    [Theory]
    [InlineData("session-sm.xml", "end after 12 server turn(s)")]
    [InlineData("session-ping.xml", "end after 12 server turn(s)")]
    [InlineData("sasl2.xml", "end after 8 server turn(s)")]
    public void Session_transcripts_drive_the_client_through_every_step(string file, string reached)
    {
        // The client target is only worth fuzzing if a realistic transcript gets past the login:
        // these seeds log in (RFC 5802 SCRAM), send, get the receipt, disco, receive and close.
        FuzzOutcome outcome = FuzzTargets.Get("client").Execute(File.ReadAllBytes(Path.Combine(CorpusRoot, "client", file)));

        Assert.True(outcome.Completed, outcome.ToString());
        Assert.Equal(reached, outcome.Detail);
    }

    [Theory]
    [InlineData("rfc5802-sha1.txt", "SCRAM-SHA-1 verified the server")]
    [InlineData("rfc7677-sha256.txt", "SCRAM-SHA-256 verified the server")]
    public void Scram_seeds_reach_the_servers_signature(string file, string reached)
    {
        FuzzOutcome outcome = FuzzTargets.Get("scram").Execute(File.ReadAllBytes(Path.Combine(CorpusRoot, "scram", file)));

        Assert.Contains(reached, outcome.Detail);
    }

    [Fact]
    public void An_untyped_exception_is_reported_as_a_crash()
    {
        var target = new FuzzTarget("probe", "throws", _ => throw new ArgumentOutOfRangeException("index"));

        var crash = Assert.Throws<FuzzCrashException>(() => target.Execute([]));

        Assert.IsType<ArgumentOutOfRangeException>(crash.InnerException);
    }

    [Fact]
    public void Running_past_the_bound_is_reported_as_a_hang()
    {
        using var release = new ManualResetEventSlim();
        var target = new FuzzTarget("probe", "never returns on its own", _ =>
        {
            release.Wait(TimeSpan.FromSeconds(30));
            return "released";
        });

        var crash = Assert.Throws<FuzzCrashException>(() => target.Execute([], TimeSpan.FromMilliseconds(100)));
        release.Set();

        Assert.Contains("a hang", crash.Message);
    }

    [Fact]
    public void A_typed_exception_is_a_rejection_not_a_crash()
    {
        var target = new FuzzTarget("probe", "rejects", _ => throw new Xmpp.Errors.XmppProtocolException("bad"));

        FuzzOutcome outcome = target.Execute([]);

        Assert.IsType<Xmpp.Errors.XmppProtocolException>(outcome.Rejection);
    }
}
