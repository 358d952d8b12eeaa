from dashboard.views.topics import render

render()
