namespace XSend.Xmpp.Errors;

/// <summary>Why a transport connection could not be made or was lost.</summary>
public enum ConnectionFailure
{
    /// <summary>The host name did not resolve.</summary>
    HostNotFound,

    /// <summary>The server actively refused the connection.</summary>
    Refused,

    /// <summary>The network or host could not be reached.</summary>
    Unreachable,

    /// <summary>The connection was closed or reset while the client still expected data.</summary>
    Lost,
}
