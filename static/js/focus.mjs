// Focus after a form is sent (issue 15): filled in by the error summary slice.
