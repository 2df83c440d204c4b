using XSend.Cli;
using XSend.Cli.Platform;

using var signals = new EarlySignals();
StandardStreams.ReopenClosed();
return await XSendApp.RunAsync(args, StandardStreams.OpenInput(), StandardStreams.Output, StandardStreams.Error, CliEnvironment.FromProcess(),
    signals.Token);
