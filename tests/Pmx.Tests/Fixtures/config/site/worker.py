print('stand-in')
