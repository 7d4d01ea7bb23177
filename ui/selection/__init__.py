"""The 选房票务 tab: sales-control grid, the desk flow, queue calling and printed documents."""
