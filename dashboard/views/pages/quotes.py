from dashboard.views.quotes import render

render()
