using System.Runtime.CompilerServices;

namespace RLKit.Tensors.Gemm;

/// <summary>
/// Per-thread scratch memory of the GEMM kernels: pinned, 64-byte aligned, grown on demand and then reused,
/// so that steady-state calls allocate nothing.
/// </summary>
/// <remarks>
/// Pinned arrays (on the pinned object heap) never move, so a pointer taken once stays valid for as long
/// as the thread-static field references the array. 64-byte alignment puts every packed 512-bit vector in
/// exactly one cache line. Each thread owns its own buffers, so there is no locking; a buffer is only
/// replaced at the start of an operation on its own thread, never while a kernel holds a pointer into it.
/// </remarks>
internal static unsafe class GemmBuffers
{
    private const int AlignmentFloats = 16;

    [ThreadStatic]
    private static AlignedBuffer? packedA;

    [ThreadStatic]
    private static AlignedBuffer? packedB;

    [ThreadStatic]
    private static AlignedBuffer? staging;

    /// <summary>Gets this thread's buffer for packed blocks of A (at least <paramref name="length"/> floats).</summary>
    public static float* PackedA(long length) => Get(ref packedA, length);

    /// <summary>Gets this thread's buffer for packed panels of B (at least <paramref name="length"/> floats).</summary>
    public static float* PackedB(long length) => Get(ref packedB, length);

    /// <summary>
    /// Gets this thread's buffer for an operand or result staged by the dispatcher before any kernel runs
    /// (a small transposed operand, or a transposed result); kernels never use it, so it survives them.
    /// </summary>
    public static float* Staging(long length) => Get(ref staging, length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Get(ref AlignedBuffer? buffer, long length)
    {
        AlignedBuffer? current = buffer;
        if (current is null || current.Length < length)
        {
            // Grow geometrically so a slowly increasing sequence of shapes reallocates only a few times.
            long grown = Math.Min((current?.Length ?? 0) * 2, Array.MaxLength - AlignmentFloats);
            current = buffer = new AlignedBuffer(Math.Max(length, grown));
        }

        return current.Pointer;
    }

    private sealed class AlignedBuffer
    {
        private readonly float[] array;

        public AlignedBuffer(long length)
        {
            if (length > Array.MaxLength - AlignmentFloats)
            {
                throw new OutOfMemoryException($"GEMM scratch of {length} floats exceeds the maximum array length.");
            }

            this.array = GC.AllocateUninitializedArray<float>((int)length + AlignmentFloats, pinned: true);
            float* start = (float*)Unsafe.AsPointer(ref this.array[0]);
            nint misalignment = (nint)start & ((AlignmentFloats * sizeof(float)) - 1);
            this.Pointer = misalignment == 0 ? start : (float*)((byte*)start + ((AlignmentFloats * sizeof(float)) - misalignment));
            this.Length = length;
        }

        public float* Pointer { get; }

        public long Length { get; }
    }
}
