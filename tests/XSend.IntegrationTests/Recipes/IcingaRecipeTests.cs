using XSend.Xmpp;

namespace XSend.IntegrationTests.Recipes;

/// <summary>
/// docs/recipes/icinga2.md run for real with Debian's icinga2 (2.13): the recipe's commands,
/// rules and user validated by <c>icinga2 daemon -C</c> on a private config tree (every path
/// constant pointed into a temp dir), then one private daemon on that tree whose failing host
/// and service notify a live recipient through the recipe's script; and the script run alone
/// with the variables Icinga passes, an acknowledgement comment included.
/// </summary>
[Collection(ProsodyCollection.Name)]
public sealed class IcingaRecipeTests(ProsodyFixture prosody)
{
    private const string Recipient = "rcpicinga";

    private static string Address => $"{Recipient}@{SandboxServerFixture.Domain}";

    /// <summary>The private tree: the recipe's xsend.conf and script, plus hosts and the checker and notification features.</summary>
    private static (string Dir, string[] Args) WriteTree()
    {
        string dir = Directory.CreateTempSubdirectory("xsend-icinga-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "scripts"));
        Directory.CreateDirectory(Path.Combine(dir, "var"));
        Recipe recipe = Recipe.Open("icinga2");
        recipe.Install("xsend-notification.sh", Path.Combine(dir, "scripts"), executable: true);
        recipe.Install("xsend.conf", dir, text => text.Replace("ops@example.org", Address, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(dir, "icinga2.conf"), """
            include <itl>
            include "xsend.conf"
            object CheckerComponent "checker" { }
            object NotificationComponent "notification" { }
            template Host "fast-host" {
              check_command = "dummy"
              max_check_attempts = 1
              check_interval = 1s
              retry_interval = 1s
              vars.notify_xmpp = true
            }
            object Host "web1" {
              import "fast-host"
              address = "127.0.0.2"
              vars.dummy_state = 2
              vars.dummy_text = "CRITICAL - web1 unreachable"
            }
            object Host "db1" {
              import "fast-host"
              address = "127.0.0.3"
              vars.dummy_state = 0
            }
            object Service "disk" {
              host_name = "db1"
              check_command = "dummy"
              max_check_attempts = 1
              check_interval = 1s
              retry_interval = 1s
              vars.dummy_state = 2
              vars.dummy_text = "DISK CRITICAL - / at 99%"
            }
            """);
        string var = Path.Combine(dir, "var");
        string user = Environment.UserName;
        return (dir, ["-c", Path.Combine(dir, "icinga2.conf"), $"-DConfigDir={dir}", $"-DDataDir={var}", $"-DLogDir={var}", $"-DCacheDir={var}",
            $"-DSpoolDir={var}", $"-DInitRunDir={var}", $"-DRunAsUser={user}", $"-DRunAsGroup={user}"]);
    }

    [Fact]
    public async Task The_config_validates_and_a_private_daemon_notifies_through_xsend()
    {
        (string dir, string[] args) = WriteTree();

        ProcessResult validated = await XsendProcess.RunAsync(["daemon", "-C", .. args], binary: "icinga2");
        Assert.True(validated.ExitCode == 0, validated.Stdout + validated.Stderr);
        Assert.Contains("Instantiated 2 NotificationCommands.", validated.Stdout, StringComparison.Ordinal);
        Assert.Contains("Instantiated 3 Notifications.", validated.Stdout, StringComparison.Ordinal); // two hosts, one service

        await using Receiver receiver = await Receiver.OnlineAsync(prosody, Recipient);
        List<ReceivedMessage> got = await Recipe.ReceiveFromDaemonAsync("icinga2", ["daemon", .. args], Recipe.XsendEnvironment(prosody, dir), receiver, 2,
            () => "");

        ReceivedMessage host = Assert.Single(got, m => m.Subject == "PROBLEM: host web1 is DOWN");
        Assert.StartsWith("PROBLEM: host web1 is DOWN\nCRITICAL - web1 unreachable\nAddress: 127.0.0.2\nTime: ", host.Body, StringComparison.Ordinal);
        ReceivedMessage service = Assert.Single(got, m => m.Subject == "PROBLEM: disk on db1 is CRITICAL");
        Assert.StartsWith("PROBLEM: disk on db1 is CRITICAL\nDISK CRITICAL - / at 99%\nAddress: 127.0.0.3\n", service.Body, StringComparison.Ordinal);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task The_script_alone_with_the_variables_icinga_passes()
    {
        string dir = Directory.CreateTempSubdirectory("xsend-icinga-script-").FullName;
        string script = Recipe.Open("icinga2").Install("xsend-notification.sh", dir, executable: true);
        await using Receiver receiver = await Receiver.OnlineAsync(prosody, Recipient);
        Dictionary<string, string> environment = Recipe.XsendEnvironment(prosody, dir);
        foreach ((string name, string value) in new Dictionary<string, string>
        {
            ["NOTIFICATIONTYPE"] = "ACKNOWLEDGEMENT", ["NOTIFICATIONAUTHORNAME"] = "icingaadmin", ["NOTIFICATIONCOMMENT"] = "on it; \"$(reboot)\"",
            ["HOSTDISPLAYNAME"] = "db1", ["HOSTADDRESS"] = "127.0.0.3", ["SERVICENAME"] = "disk", ["SERVICEDISPLAYNAME"] = "Disk /",
            ["SERVICESTATE"] = "CRITICAL", ["SERVICEOUTPUT"] = "DISK CRITICAL - / at 99% `id`", ["LONGDATETIME"] = "2026-12-01 08:00:00 +0000",
            ["USERXMPP"] = Address,
        })
        {
            environment[name] = value;
        }

        ProcessResult result = await XsendProcess.RunAsync([], binary: script, environment: environment);

        Assert.True(result.ExitCode == 0, result.Stderr);
        ReceivedMessage message = Assert.Single(await receiver.ReceiveAsync());
        Assert.Equal("ACKNOWLEDGEMENT: Disk / on db1 is CRITICAL", message.Subject);
        // Output and comment arrive verbatim: nothing in them reached a shell.
        Assert.Equal("ACKNOWLEDGEMENT: Disk / on db1 is CRITICAL\nDISK CRITICAL - / at 99% `id`\nAddress: 127.0.0.3\n"
            + "Time: 2026-12-01 08:00:00 +0000\nComment by icingaadmin: on it; \"$(reboot)\"", message.Body);

        environment.Remove("USERXMPP");
        ProcessResult noAddress = await XsendProcess.RunAsync([], binary: script, environment: environment);
        Assert.Equal((64, "xsend-notification.sh: user has no vars.xmpp\n"), (noAddress.ExitCode, noAddress.Stderr));
        Directory.Delete(dir, recursive: true);
    }
}
