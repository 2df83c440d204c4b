using System.Runtime.InteropServices;

namespace XSend.Cli.Platform;

/// <summary>
/// Signals that end a run like Ctrl+C, caught from the first line of Main: SIGHUP (a closed
/// terminal, a supervisor's reload) at any time, and SIGTERM before the command line has taken
/// over its own handling. Without this either one killed the process silently (exit 129 or
/// 143) and the alert was neither sent nor queued; now the run is cancelled and reports what
/// it did with the alert.
/// </summary>
internal sealed class EarlySignals : IDisposable
{
    private readonly CancellationTokenSource _interrupted = new();
    private readonly PosixSignalRegistration[] _registrations;

    public EarlySignals()
    {
        _registrations = OperatingSystem.IsWindows()
            ? []
            : [PosixSignalRegistration.Create(PosixSignal.SIGHUP, Interrupt), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt)];
    }

    /// <summary>Cancelled when one of the signals arrives.</summary>
    public CancellationToken Token => _interrupted.Token;

    private void Interrupt(PosixSignalContext context)
    {
        context.Cancel = true; // the run ends itself, through its interruption path
        _interrupted.Cancel();
    }

    /// <summary>
    /// Stops catching the signals. The token source is left to the process: a handler already
    /// dispatched on its own thread may still run after this, and must not find it disposed.
    /// </summary>
    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
            registration.Dispose();
    }
}
