namespace MdiFlow.Lab.StandIn;

/// <summary>The exit codes the sensor setup is known to end with (they are not documented as a list).</summary>
internal static class SetupExitCodes
{
    public const int Success = 0;

    /// <summary>The stand-in was not started by the lab (ERROR_INVALID_FUNCTION).</summary>
    public const int NotInLab = 1;

    /// <summary>ERROR_INVALID_PARAMETER: the lab's verdict when the access key is on the command line.</summary>
    public const int KeyOnCommandLine = 87;

    /// <summary>0x642: registration refused, <c>validateCreateSensorResult=LicenseInvalid</c>.</summary>
    public const int LicenseInvalid = 1602;

    /// <summary>ERROR_INSTALL_ALREADY_RUNNING: another installation holds Windows Installer.</summary>
    public const int InstallAlreadyRunning = 1618;

    /// <summary>ERROR_SUCCESS_REBOOT_INITIATED (0x669): the setup is restarting the server.</summary>
    public const int RebootInitiated = 1641;

    /// <summary>ERROR_SUCCESS_REBOOT_REQUIRED (0xBC2).</summary>
    public const int RebootRequired = 3010;

    /// <summary>E_INVALIDARG: an unknown option or a missing access key.</summary>
    public const int InvalidArgument = unchecked((int)0x80070057);

    /// <summary>HRESULT of ERROR_FILE_NOT_FOUND: the setup's files (or the key file) are not where they must be.</summary>
    public const int FileNotFound = unchecked((int)0x80070002);

    /// <summary>HRESULT of ERROR_INSTALL_FAILURE (1603): the MSI failed, often for want of connectivity.</summary>
    public const int MsiFailed = unchecked((int)0x80070643);

    /// <summary>The code as burn logs it: <c>0x642</c>, <c>0x80070643</c>.</summary>
    public static string Hex(int code) => "0x" + code.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
}
