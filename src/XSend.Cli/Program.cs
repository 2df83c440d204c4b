using XSend.Cli;
using XSend.Cli.Platform;

StandardStreams.ReopenClosed();
return await XSendApp.RunAsync(args, StandardStreams.OpenInput(), StandardStreams.Output, StandardStreams.Error, CliEnvironment.FromProcess());
