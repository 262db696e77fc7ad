using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>
/// Reads the SACL of a self-relative security descriptor (MS-DTYP 2.4.6), as the directory returns ntSecurityDescriptor:
/// SYSTEM_AUDIT_ACE (type 2) and SYSTEM_AUDIT_OBJECT_ACE (type 7) entries with their SID, rights, audit flags and
/// inherited object type. It needs no Windows API, so it is tested everywhere.
/// </summary>
internal static class SecurityDescriptorParser
{
    private const byte AuditAceType = 0x02;
    private const byte AuditObjectAceType = 0x07;
    private const byte SuccessfulAccess = 0x40;
    private const byte FailedAccess = 0x80;
    private const ushort SaclPresent = 0x0010;

    /// <exception cref="FormatException">The bytes are not a self-relative security descriptor.</exception>
    public static IReadOnlyList<AuditAce> AuditEntries(ReadOnlySpan<byte> descriptor)
    {
        if (descriptor.Length < 20 || descriptor[0] != 1)
        {
            throw new FormatException("The security descriptor is shorter than its header or not revision 1.");
        }

        var control = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[2..]);
        var saclOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(descriptor[12..]);
        if ((control & SaclPresent) == 0 || saclOffset == 0)
        {
            return [];
        }

        var acl = Slice(descriptor, saclOffset, 8);
        var aclSize = BinaryPrimitives.ReadUInt16LittleEndian(acl[2..]);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(acl[4..]);
        acl = Slice(descriptor, saclOffset, aclSize);
        var entries = new List<AuditAce>();
        var position = 8;
        for (var i = 0; i < count; i++)
        {
            var header = Slice(acl, position, 4);
            var type = header[0];
            var flags = header[1];
            var size = BinaryPrimitives.ReadUInt16LittleEndian(header[2..]);
            var ace = Slice(acl, position, size);
            position += size;
            if (type is not (AuditAceType or AuditObjectAceType))
            {
                continue;
            }

            var mask = BinaryPrimitives.ReadUInt32LittleEndian(ace[4..]);
            var sidStart = 8;
            string? inherited = null;
            if (type == AuditObjectAceType)
            {
                var objectFlags = BinaryPrimitives.ReadUInt32LittleEndian(ace[8..]);
                sidStart = 12;
                if ((objectFlags & 1) != 0)
                {
                    sidStart += 16;
                }

                if ((objectFlags & 2) != 0)
                {
                    inherited = new Guid(ace.Slice(sidStart, 16)).ToString("D");
                    sidStart += 16;
                }
            }

            var audit = ((flags & SuccessfulAccess) != 0 ? 1 : 0) | ((flags & FailedAccess) != 0 ? 2 : 0);
            entries.Add(new AuditAce(Sid(ace[sidStart..]), mask, audit, inherited, flags));
        }

        return entries;
    }

    /// <summary>A binary SID as <c>S-1-...</c>.</summary>
    public static string Sid(ReadOnlySpan<byte> sid)
    {
        if (sid.Length < 8)
        {
            throw new FormatException("A SID is shorter than its header.");
        }

        var subAuthorities = sid[1];
        if (sid.Length < 8 + (4 * subAuthorities))
        {
            throw new FormatException("A SID is shorter than its sub-authorities.");
        }

        long authority = 0;
        for (var i = 2; i < 8; i++)
        {
            authority = (authority << 8) | sid[i];
        }

        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"S-{sid[0]}-{authority}"));
        for (var i = 0; i < subAuthorities; i++)
        {
            text.Append('-').Append(BinaryPrimitives.ReadUInt32LittleEndian(sid[(8 + (4 * i))..]).ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> bytes, int offset, int length) =>
        offset >= 0 && length >= 0 && offset + length <= bytes.Length
            ? bytes.Slice(offset, length)
            : throw new FormatException($"The security descriptor ends before byte {offset + length}.");
}
