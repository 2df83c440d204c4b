using XSend.Cli.State;
using XSend.Xmpp;

namespace XSend.Tests.Cli;

/// <summary>
/// The pool of SASL2 user-agent ids (issue #11 item 5): runs at the same time never share an id,
/// sequential runs reuse the first, and a full pool or an unusable directory gives a one-off id.
/// </summary>
public sealed class UserAgentPoolTests : IDisposable
{
    private static readonly Jid Alice = Jid.Parse("alice@xsend.test");
    private readonly string _directory = Directory.CreateTempSubdirectory("xsend-pool-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Concurrent_leases_get_distinct_ids_and_a_freed_slot_is_reused()
    {
        var leases = Enumerable.Range(0, UserAgentPool.Size).Select(_ => UserAgentPool.Acquire(_directory, Alice, null)).ToList();
        try
        {
            Assert.Equal(Enumerable.Range(0, UserAgentPool.Size).Cast<int?>(), leases.Select(l => l.Slot));
            Assert.Equal(UserAgentPool.Size, leases.Select(l => l.Id).Distinct().Count());
            Assert.Equal(InstallationId.For(Alice), leases[0].Id);

            var narrated = new List<string>();
            using UserAgentLease overflow = UserAgentPool.Acquire(_directory, Alice, narrated.Add);
            Assert.Null(overflow.Slot);
            Assert.DoesNotContain(overflow.Id, leases.Select(l => l.Id));
            Assert.Equal($"all {UserAgentPool.Size} SASL2 user agents of alice@xsend.test are in use; using a one-off id without FAST tokens", Assert.Single(narrated));

            // Another account has its own pool.
            using UserAgentLease bob = UserAgentPool.Acquire(_directory, Jid.Parse("bob@xsend.test"), null);
            Assert.Equal(0, bob.Slot);
        }
        finally
        {
            leases.ForEach(l => l.Dispose());
        }

        using UserAgentLease again = UserAgentPool.Acquire(_directory, Alice, null);
        Assert.Equal(0, again.Slot);
        Assert.Equal(InstallationId.For(Alice), again.Id);
    }

    [Fact]
    public void An_unusable_state_directory_gives_a_one_off_id_said_only_when_verbose()
    {
        string file = Path.Combine(_directory, "not-a-directory");
        File.WriteAllText(file, "");
        var narrated = new List<string>();

        using UserAgentLease lease = UserAgentPool.Acquire(file, Alice, narrated.Add);

        Assert.Null(lease.Slot);
        Assert.StartsWith($"cannot lock a SASL2 user agent in {file}:", Assert.Single(narrated));
    }
}
