namespace XSend.Xmpp.Errors;

/// <summary>The overall deadline passed; <see cref="Step"/> names what was stalled.</summary>
public sealed class XmppTimeoutException : XmppException
{
    /// <summary>Creates the exception.</summary>
    public XmppTimeoutException(XmppStep step, TimeSpan timeout, Exception? innerException = null, XmppException? lastFailure = null)
        : base($"timed out after {timeout.TotalSeconds:0.#} s while {step.Describe()}"
               + (lastFailure is null ? "" : $" (last failure: {lastFailure.Message})"), innerException)
    {
        LastFailure = lastFailure;
        Step = step;
        Timeout = timeout;
    }

    /// <summary>The step that was in progress when the deadline passed.</summary>
    public XmppStep Step { get; }

    /// <summary>The failure that caused the last retry, if the deadline passed while retrying.</summary>
    public XmppException? LastFailure { get; }

    /// <summary>The deadline that passed.</summary>
    public TimeSpan Timeout { get; }

    /// <inheritdoc/>
    public override bool IsTransient => true;
}
