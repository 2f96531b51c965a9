using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;

namespace RLKit.Training.Metrics;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord framing, plus the
/// "masking" TensorFlow applies to checksums it stores next to the data they cover.
/// </summary>
/// <remarks>
/// SSE4.2 has a CRC-32C instruction, so x86 machines get the hardware path; everything else uses a
/// byte-wise table. Both paths are exposed so tests can prove they agree.
/// </remarks>
internal static class Crc32C
{
    private const uint ReflectedPolynomial = 0x82F63B78u;

    // TensorFlow's masking constant: it keeps a CRC of data that itself contains CRCs from looking
    // like a valid CRC of the embedded data.
    private const uint MaskDelta = 0xA282EAD8u;

    private static readonly uint[] Table = BuildTable();

    /// <summary>True when <see cref="ComputeHardware"/> can run on this machine.</summary>
    internal static bool IsHardwareAccelerated => Sse42.IsSupported;

    /// <summary>The CRC-32C of <paramref name="data"/>, by the fastest available implementation.</summary>
    internal static uint Compute(ReadOnlySpan<byte> data) =>
        IsHardwareAccelerated ? ComputeHardware(data) : ComputeSoftware(data);

    /// <summary>The CRC-32C of <paramref name="data"/> using the lookup table only.</summary>
    internal static uint ComputeSoftware(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFF_FFFFu;
        foreach (byte b in data)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    /// <summary>The CRC-32C of <paramref name="data"/> using the SSE4.2 <c>crc32</c> instruction.</summary>
    /// <exception cref="PlatformNotSupportedException">If SSE4.2 is not available.</exception>
    internal static uint ComputeHardware(ReadOnlySpan<byte> data)
    {
        if (!Sse42.IsSupported)
            throw new PlatformNotSupportedException("Crc32C.ComputeHardware needs SSE4.2.");

        uint crc = 0xFFFF_FFFFu;
        if (Sse42.X64.IsSupported)
        {
            ulong wide = crc;
            while (data.Length >= sizeof(ulong))
            {
                wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[sizeof(ulong)..];
            }
            crc = (uint)wide;
        }
        while (data.Length >= sizeof(uint))
        {
            crc = Sse42.Crc32(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[sizeof(uint)..];
        }
        foreach (byte b in data)
            crc = Sse42.Crc32(crc, b);
        return ~crc;
    }

    /// <summary>TensorFlow's masked form of <paramref name="crc"/>: rotate right by 15, add a constant.</summary>
    internal static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    /// <summary>The inverse of <see cref="Mask"/>.</summary>
    internal static uint Unmask(uint maskedCrc)
    {
        uint rotated = maskedCrc - MaskDelta;
        return (rotated >> 17) | (rotated << 15);
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < table.Length; i++)
        {
            uint crc = i;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ ReflectedPolynomial : crc >> 1;
            table[i] = crc;
        }
        return table;
    }
}
