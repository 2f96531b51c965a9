namespace RLKit.Envs.Navigation;

/// <summary>
/// A grid of 1×1 maze cells, each a wall or free. Cell (row, column) is centred at position (x, y) = (row, column)
/// and covers [row − 0.5, row + 0.5] × [column − 0.5, column + 0.5], as in D4RL's point maze.
/// </summary>
public sealed class MazeLayout
{
    /// <summary>
    /// D4RL's LARGE_MAZE (9 rows × 12 columns, walls all around). '#' is a wall, 'O' free, 'G' D4RL's single-goal
    /// marker (a free cell; the multi-task maze ignores it and takes goals from its tasks).
    /// </summary>
    public static readonly MazeLayout LargeMaze = Parse(
        "############",
        "#OOOO#OOOOO#",
        "#O##O#O#O#O#",
        "#OOOOOO#OOO#",
        "#O####O###O#",
        "#OO#O#OOOOO#",
        "##O#O#O#O###",
        "#OO#OOO#OGO#",
        "############");

    private readonly bool[] _walls;
    private readonly string[] _rows;

    private MazeLayout(string[] rows, bool[] walls, int columns)
    {
        _rows = rows;
        _walls = walls;
        Columns = columns;
    }

    /// <summary>The number of rows (the x extent).</summary>
    public int Rows => _rows.Length;

    /// <summary>The number of columns (the y extent).</summary>
    public int Columns { get; }

    /// <summary>The layout as text, one string per row.</summary>
    public IReadOnlyList<string> Text => _rows;

    /// <summary>
    /// Parses a layout from equal-length rows of '#' (wall), 'O' (free) and 'G' (free, goal marker).
    /// </summary>
    /// <exception cref="ArgumentException">If there are no rows, the rows differ in length, or a character is not '#', 'O' or 'G'.</exception>
    public static MazeLayout Parse(params string[] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0 || rows[0].Length == 0)
            throw new ArgumentException("A maze layout needs at least one non-empty row.", nameof(rows));
        int columns = rows[0].Length;
        var walls = new bool[rows.Length * columns];
        for (int r = 0; r < rows.Length; r++)
        {
            if (rows[r].Length != columns)
                throw new ArgumentException($"Maze row {r} has {rows[r].Length} cells; every row needs {columns}.", nameof(rows));
            for (int c = 0; c < columns; c++)
            {
                walls[r * columns + c] = rows[r][c] switch
                {
                    '#' => true,
                    'O' or 'G' => false,
                    var other => throw new ArgumentException($"Maze cell ({r}, {c}) is '{other}'; allowed are '#' (wall), 'O' (free) and 'G' (goal marker).", nameof(rows)),
                };
            }
        }
        return new MazeLayout((string[])rows.Clone(), walls, columns);
    }

    /// <summary>Whether cell (row, column) is a wall; cells outside the grid count as walls.</summary>
    public bool IsWall(int row, int column) =>
        (uint)row >= (uint)Rows || (uint)column >= (uint)Columns || _walls[row * Columns + column];
}
