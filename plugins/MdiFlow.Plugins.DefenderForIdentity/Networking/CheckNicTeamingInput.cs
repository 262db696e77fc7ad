namespace MdiFlow.Plugins.DefenderForIdentity.Networking;

/// <summary>The input of <c>mdi.checkNicTeaming</c>: none; it reads the server it runs on.</summary>
public sealed record CheckNicTeamingInput;
