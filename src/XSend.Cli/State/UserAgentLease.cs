namespace XSend.Cli.State;

/// <summary>A SASL2 user-agent id held by this run (see <see cref="UserAgentPool"/>); disposing frees its slot.</summary>
/// <param name="Id">The user-agent id.</param>
/// <param name="Slot">The pool slot, or null for a one-off id (which keeps no FAST token).</param>
/// <param name="Lock">The held slot lock.</param>
internal sealed record UserAgentLease(Guid Id, int? Slot, FileStream? Lock) : IDisposable
{
    public void Dispose() => Lock?.Dispose();
}
