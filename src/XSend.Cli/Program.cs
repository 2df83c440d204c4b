using XSend.Cli;
using XSend.Cli.Platform;

using var signals = new EarlySignals();
StandardStreams.ReopenClosed();
// Invoked through a symlink named sendxmpp: sendxmpp's command line (README, "sendxmpp").
if (XSend.Cli.Compat.SendxmppCompat.InvocationName() == XSend.Cli.Compat.SendxmppCompat.ProgramName)
    args = [XSend.Cli.Compat.SendxmppCompat.Subcommand, .. args];
return await XSendApp.RunAsync(args, StandardStreams.OpenInput(), StandardStreams.Output, StandardStreams.Error, CliEnvironment.FromProcess(),
    signals.Token);
