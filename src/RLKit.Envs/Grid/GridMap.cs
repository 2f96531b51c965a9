using System.Text;

namespace RLKit.Envs.Grid;

/// <summary>
/// The small grid core shared by the grid environments: a width × height array of cell codes addressed as (x, y)
/// with x the column and y the row (row 0 at the top), bounds checks, single moves and text rendering.
/// Each environment defines its own cell codes; code 0 is always "free floor".
/// </summary>
internal sealed class GridMap
{
    private readonly byte[] _cells;

    /// <summary>Creates an all-floor grid.</summary>
    public GridMap(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        _cells = new byte[width * height];
    }

    /// <summary>Number of columns.</summary>
    public int Width { get; }

    /// <summary>Number of rows.</summary>
    public int Height { get; }

    /// <summary>The cell codes, row-major (index y · Width + x).</summary>
    public Span<byte> Cells => _cells;

    /// <summary>The cell code at (x, y).</summary>
    public byte this[int x, int y]
    {
        get => _cells[y * Width + x];
        set => _cells[y * Width + x] = value;
    }

    /// <summary>Whether (x, y) lies on the grid.</summary>
    public bool Contains(int x, int y) => (uint)x < (uint)Width && (uint)y < (uint)Height;

    /// <summary>Sets every cell to <paramref name="code"/>.</summary>
    public void Fill(byte code) => Array.Fill(_cells, code);

    /// <summary>Sets the outermost ring of cells to <paramref name="code"/> (MiniGrid's surrounding wall).</summary>
    public void DrawBorder(byte code)
    {
        for (int x = 0; x < Width; x++) { this[x, 0] = code; this[x, Height - 1] = code; }
        for (int y = 0; y < Height; y++) { this[0, y] = code; this[Width - 1, y] = code; }
    }

    /// <summary>Copies the cells of <paramref name="other"/>, which must have the same size.</summary>
    public void CopyFrom(GridMap other) => other._cells.CopyTo(_cells, 0);

    /// <summary>
    /// The cell one move from (x, y) in <paramref name="direction"/>, and whether it is on the grid. Environments
    /// decide what an off-grid or blocked target means (usually: stay in place).
    /// </summary>
    public static (int X, int Y) Neighbour(int x, int y, GridDirection direction) =>
        (x + GridDirections.Dx(direction), y + GridDirections.Dy(direction));

    /// <summary>Renders the grid as text, one line per row, with <paramref name="symbolAt"/>(x, y) for each cell.</summary>
    public string Render(Func<int, int, char> symbolAt)
    {
        var text = new StringBuilder((Width + 1) * Height);
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++) text.Append(symbolAt(x, y));
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The arrow for an agent facing <paramref name="direction"/> (text renders of oriented agents).</summary>
    public static char Arrow(GridDirection direction) => direction switch
    {
        GridDirection.Right => '>',
        GridDirection.Down => 'v',
        GridDirection.Left => '<',
        _ => '^',
    };
}
