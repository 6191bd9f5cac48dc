"""The Excel glue: ribbon entry points (``macros``), the .xlam build (``xlam``), its installation
(``install``), the ribbon XML (``ribbon/``), the VBA sources (``vba/``) and the xlwings Lite scripts
(``lite``). Everything here reaches the pipeline of ``addin`` only; ``udfs.excel``/``udfs.lite``
bind the worksheet functions and stay in the pure core."""
