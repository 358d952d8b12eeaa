from dashboard.views.compare import render

render()
