"""The "Work items" view: one row per element of the selected Map's last run, read from the element store.

`session.WorkItemsSession(window)` is what the main window makes: it opens the app's `ElementStore` (from the
preferences), hands it to the run controller (every run keeps its Map elements there), puts the Work items
dock in the window, keeps each Map's badge on the canvas ("k failed" / "n stored") and the Element Store
dialog behind Run > Element Store…. The dock is `panel.WorkItemsPanel`: a header, status filters and a search
over a table (`item_model.WorkItemsModel`, pages read lazily from the store; a whole order is computed by
`background.StoreWorker` off the GUI thread), the selected element's detail (`detail`, tracebacks folded by
`tracebacks`) and the actions Re-run failed, Re-run selected and Run element here (`run_here`).
"""
