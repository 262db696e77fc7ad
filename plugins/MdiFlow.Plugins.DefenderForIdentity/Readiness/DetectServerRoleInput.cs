namespace MdiFlow.Plugins.DefenderForIdentity.Readiness;

/// <summary>The input of <c>mdi.detectServerRole</c>: none; it reads the server it runs on.</summary>
public sealed record DetectServerRoleInput;
