using XSend.Xmpp;

namespace XSend.IntegrationTests.Recipes;

/// <summary>
/// docs/recipes/nagios4.md run for real: a private Nagios 4 (Debian's nagios4-core) on
/// loopback with its own config in a temp dir, one host whose check fails and one service whose
/// check fails; its notifications run the recipe's script with Nagios's environment macros,
/// and both messages arrive at a live recipient. One daemon for the whole test.
/// </summary>
[Collection(ProsodyCollection.Name)]
public sealed class NagiosRecipeTests(ProsodyFixture prosody)
{
    private const string Recipient = "rcpnagios";

    [Fact]
    public async Task A_failing_host_and_service_notify_through_xsend()
    {
        string dir = Directory.CreateTempSubdirectory("xsend-nagios-").FullName;
        Recipe recipe = Recipe.Open("nagios4");
        string script = recipe.Install("xsend-nagios-notify", dir, executable: true);
        recipe.Install("commands.cfg", dir, text => text.Replace("/usr/local/bin/xsend-nagios-notify", script, StringComparison.Ordinal));
        recipe.Install("contact.cfg", dir, text => text.Replace("ops@example.org", $"{Recipient}@{SandboxServerFixture.Domain}", StringComparison.Ordinal));
        string config = WriteNagiosConfig(dir);

        ProcessResult verify = await XsendProcess.RunAsync(["-v", config], binary: "nagios4");
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);

        await using Receiver receiver = await Receiver.OnlineAsync(prosody, Recipient);
        string log = Path.Combine(dir, "nagios.log");
        List<ReceivedMessage> got = await Recipe.ReceiveFromDaemonAsync("nagios4", [config], Recipe.XsendEnvironment(prosody, dir), receiver, 2,
            () => File.Exists(log) ? File.ReadAllText(log) : "(no nagios.log)");

        ReceivedMessage host = Assert.Single(got, m => m.Subject == "PROBLEM: host web1 is DOWN");
        Assert.StartsWith("PROBLEM: host web1 is DOWN\nCRITICAL - web1 unreachable\nAddress: 127.0.0.2\nTime: ", host.Body, StringComparison.Ordinal);
        ReceivedMessage service = Assert.Single(got, m => m.Subject == "PROBLEM: disk on db1 is CRITICAL");
        Assert.StartsWith("PROBLEM: disk on db1 is CRITICAL\nDISK CRITICAL - / at 99%\nAddress: 127.0.0.3\n", service.Body, StringComparison.Ordinal);
        Assert.All(got, m => Assert.StartsWith($"{Recipe.Sender}@{SandboxServerFixture.Domain}/", m.From, StringComparison.Ordinal));
        DeleteQuietly(dir);
    }

    /// <summary>
    /// A minimal nagios.cfg in <paramref name="dir"/>: everything under it, seconds as the interval
    /// unit so the first checks run at once, notifications and environment macros on.
    /// </summary>
    private static string WriteNagiosConfig(string dir)
    {
        string Check(string name, string output, int code)
        {
            string path = Path.Combine(dir, name);
            File.WriteAllText(path, $"#!/bin/sh\necho '{output}'\nexit {code}\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return path;
        }
        Directory.CreateDirectory(Path.Combine(dir, "checkresults"));
        string days = string.Concat(new[] { "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday" }.Select(d => $"    {d} 00:00-24:00\n"));
        const string Timing = """
                max_check_attempts 1
                check_interval 1
                retry_interval 1
                check_period 24x7
                notification_interval 0
                notification_period 24x7
                contacts ops
            """;
        File.WriteAllText(Path.Combine(dir, "objects.cfg"), $$"""
            define timeperiod {
                timeperiod_name 24x7
                alias 24x7
            {{days}}}
            define command {
                command_name check-host-fails
                command_line {{Check("check-host-fails", "CRITICAL - web1 unreachable", 2)}}
            }
            define command {
                command_name check-ok
                command_line {{Check("check-ok", "OK - up", 0)}}
            }
            define command {
                command_name check-disk-fails
                command_line {{Check("check-disk-fails", "DISK CRITICAL - / at 99%", 2)}}
            }
            define host {
                host_name web1
                alias web1
                address 127.0.0.2
                check_command check-host-fails
                notification_options d,u,r
            {{Timing}}
            }
            define host {
                host_name db1
                alias db1
                address 127.0.0.3
                check_command check-ok
            {{Timing}}
            }
            define service {
                host_name db1
                service_description disk
                check_command check-disk-fails
                notification_options w,u,c,r
            {{Timing}}
            }
            """);
        string config = Path.Combine(dir, "nagios.cfg");
        File.WriteAllText(config, $"""
            log_file={dir}/nagios.log
            cfg_file={dir}/objects.cfg
            cfg_file={dir}/commands.cfg
            cfg_file={dir}/contact.cfg
            object_cache_file={dir}/objects.cache
            precached_object_file={dir}/objects.precache
            status_file={dir}/status.dat
            command_file={dir}/nagios.cmd
            lock_file={dir}/nagios.lock
            temp_file={dir}/nagios.tmp
            temp_path={dir}
            check_result_path={dir}/checkresults
            state_retention_file={dir}/retention.dat
            query_socket={dir}/nagios.qh
            nagios_user={Environment.UserName}
            nagios_group={Environment.UserName}
            retain_state_information=0
            check_external_commands=0
            use_syslog=0
            enable_notifications=1
            enable_environment_macros=1
            enable_flap_detection=0
            interval_length=1
            status_update_interval=1
            check_result_reaper_frequency=1
            max_host_check_spread=1
            max_service_check_spread=1
            host_inter_check_delay_method=n
            service_inter_check_delay_method=n
            illegal_macro_output_chars=`~$&|'"<>

            """);
        return config;
    }

    private static void DeleteQuietly(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
